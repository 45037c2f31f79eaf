-- Send once: no delta row of an event platform (Criteo: no product line) carries a key that
-- the ledger shows as sent on another as_of. Returns the re-sent rows.
with ledger as (
    select * from {{ ref('export_ledger') }}
    where first_sent_as_of <> {{ export_as_of_date() }}
),

delta_rows as (
    {{ export_union(['export_key'], {
        'meta': ref('export_meta_delta'),
        'the_trade_desk': ref('export_the_trade_desk_delta'),
        'tiktok': ref('export_tiktok_delta'),
        'pinterest': ref('export_pinterest_delta'),
        'snapchat': ref('export_snapchat_delta'),
        'criteo': ref('export_criteo_delta'),
        'google_enhanced_conversions': ref('export_google_enhanced_conversions_delta'),
    }) }}
)

select
    delta_rows.platform,
    delta_rows.export_key,
    ledger.first_sent_as_of
from delta_rows
inner join ledger
    on
        delta_rows.platform = ledger.platform
        and delta_rows.export_key = ledger.event_id
