-- Send once: an event platform's key (Meta event id, Criteo order, ...) is recorded as sent on
-- one as_of only, and what this run records (file_status new) are keys of the platform's
-- export table (the writer writes the export rows the ledger records for the as_of); a
-- deletion request only for a customer the ledger shows sent to its platform before. Braze / Klaviyo
-- (attributes_hash set) may be sent again when their snapshot changes. Returns the offending
-- keys.
with ledger as (
    select * from {{ ref('export_ledger') }}
),

new_files as (
    select platform from {{ ref('export_file_status') }}
    where file_status = 'new'
),

export_rows as (
    {{ export_union(['export_key'], {
        'meta': ref('export_meta'),
        'the_trade_desk': ref('export_the_trade_desk'),
        'tiktok': ref('export_tiktok'),
        'pinterest': ref('export_pinterest'),
        'snapchat': ref('export_snapchat'),
        'criteo': ref('export_criteo'),
        'google_enhanced_conversions': ref('export_google_enhanced_conversions'),
        'braze': ref('export_braze'),
        'klaviyo': ref('export_klaviyo'),
        'klaviyo_subscriptions': ref('export_klaviyo_subscriptions'),
        'braze_user_delete': ref('export_braze_user_delete'),
        'klaviyo_data_privacy_deletion': ref('export_klaviyo_data_privacy_deletion'),
    }) }}
),

sent_twice as (
    select
        platform,
        event_id,
        'sent on more than one as_of' as problem
    from ledger
    where attributes_hash is null
    group by platform, event_id
    having count(distinct first_sent_as_of) > 1
),

not_in_export as (
    select
        ledger.platform,
        ledger.event_id,
        'recorded for this as_of but not in the export table' as problem
    from ledger
    inner join new_files
        on ledger.platform = new_files.platform
    left join export_rows
        on
            ledger.platform = export_rows.platform
            and ledger.event_id = export_rows.export_key
    where
        ledger.first_sent_as_of = {{ export_as_of_date() }}
        and export_rows.export_key is null
)

{%- set platforms = export_platforms() %}
{%- set requests = [] %}
{%- for name, p in platforms.items() %}
    {%- if p.get('sent_to') %}
        {%- do requests.append(
            "select ledger.platform, ledger.event_id, 'request for a customer the platform never received' as problem"
            ~ " from ledger where ledger.platform = '" ~ name ~ "' and not exists (select 1 from ledger as received"
            ~ " where received.platform in ('" ~ (p['sent_to'] | join("', '")) ~ "')"
            ~ " and received.event_id = ledger.event_id and received.first_sent_as_of < ledger.first_sent_as_of)") %}
    {%- endif %}
{%- endfor %}

select * from sent_twice
union all
select * from not_in_export
{%- for request in requests %}
    union all
    {{ request }}
{%- endfor %}
