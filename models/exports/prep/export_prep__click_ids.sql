-- Ad click ids of a conversion's customer, per platform that takes one: one row per conversion
-- of export_prep__conversions (docs/exports.md#click-ids).
--   * a click is a click id (fbclid, ttclid, gclid) on the landing URL of a web session of the
--     stitched customer (fct_web_sessions); it happened when it was first seen for that
--     customer (the start of the first session that landed with it - a later visit through the
--     same link is the same click);
--   * a conversion gets, per platform, the latest click of its customer in that platform's
--     click window before the conversion: event_at - N days <= clicked_at < event_at (vars
--     export_meta_click_window_days, export_tiktok_click_window_days,
--     export_google_enhanced_conversions_click_window_days); NULL when there is none;
--   * a click id is used as written (the platforms match it case-sensitively) when it is a
--     token of 1 to 1000 letters, digits and `-_.~+/=`; anything else is not a click id a
--     platform issued and is left out;
--   * Meta's fbc is `fb.1.<creation time, epoch ms>.<fbclid>` (1 = the subdomain index Meta asks
--     for when the value is built on a server, the creation time = when the click was seen).
-- Consent is not applied here: the export models read the candidates, which apply it.
{%- set window_days = {} %}
{%- for click_type, window_var in [
        ('fbclid', 'export_meta_click_window_days'),
        ('ttclid', 'export_tiktok_click_window_days'),
        ('gclid', 'export_google_enhanced_conversions_click_window_days'),
    ] %}
    {%- set days = var(window_var) | int %}
    {%- if days < 0 %}
        {{ exceptions.raise_compiler_error("var " ~ window_var ~ " must be >= 0, got " ~ var(window_var)) }}
    {%- endif %}
    {%- do window_days.update({click_type: days}) %}
{%- endfor %}
with conversions as (
    select * from {{ ref('export_prep__conversions') }}
),

sessions as (
    select * from {{ ref('fct_web_sessions') }}
    where customer_id is not null
),

-- one row per landing with a click id, with the click window of the platform that issued it
landings as (
    select
        customer_id,
        session_key,
        session_start_at,
        'fbclid' as click_type,
        fbclid as click_id,
        {{ window_days['fbclid'] }} as window_days
    from sessions
    where fbclid is not null
    union all
    select
        customer_id,
        session_key,
        session_start_at,
        'ttclid' as click_type,
        ttclid as click_id,
        {{ window_days['ttclid'] }} as window_days
    from sessions
    where ttclid is not null
    union all
    select
        customer_id,
        session_key,
        session_start_at,
        'gclid' as click_type,
        gclid as click_id,
        {{ window_days['gclid'] }} as window_days
    from sessions
    where gclid is not null
),

-- the landings with a usable click id; the first one of each click id of a customer is the click
usable_landings as (
    select
        *,
        row_number() over (
            partition by customer_id, click_type, click_id order by session_start_at, session_key
        ) as landing_rank
    from landings
    where
        length(click_id) <= 1000
        and {{ regexp_matches_full('click_id', '[A-Za-z0-9._~+/=-]+') }}
),

clicks as (
    select
        customer_id,
        click_type,
        click_id,
        window_days,
        session_key,
        session_start_at as clicked_at
    from usable_landings
    where landing_rank = 1
),

-- the customer's clicks inside their window before each conversion, the latest of a type ranked 1
matches as (
    select
        conversions.conversion_id,
        clicks.click_type,
        clicks.click_id,
        clicks.session_key,
        clicks.clicked_at,
        row_number() over (
            partition by conversions.conversion_id, clicks.click_type
            order by clicks.clicked_at desc, clicks.click_id desc
        ) as match_rank
    from conversions
    inner join clicks
        on
            conversions.customer_id = clicks.customer_id
            and conversions.event_at > clicks.clicked_at
            and {{ dbt.dateadd('day', '-1 * clicks.window_days', 'conversions.event_at') }} <= clicks.clicked_at
),

latest as (
    select
        conversion_id,
        max(case when click_type = 'fbclid' then click_id end) as fbclid,
        max(case when click_type = 'fbclid' then clicked_at end) as fbclid_clicked_at,
        max(case when click_type = 'fbclid' then session_key end) as fbclid_session_key,
        max(case when click_type = 'ttclid' then click_id end) as ttclid,
        max(case when click_type = 'ttclid' then clicked_at end) as ttclid_clicked_at,
        max(case when click_type = 'ttclid' then session_key end) as ttclid_session_key,
        max(case when click_type = 'gclid' then click_id end) as gclid,
        max(case when click_type = 'gclid' then clicked_at end) as gclid_clicked_at,
        max(case when click_type = 'gclid' then session_key end) as gclid_session_key
    from matches
    where match_rank = 1
    group by conversion_id
),

final as (
    select
        conversions.conversion_id,
        conversions.customer_id,
        conversions.event_at,
        latest.fbclid,
        latest.fbclid_clicked_at,
        latest.fbclid_session_key,
        case
            when latest.fbclid is not null
                then {{ dbt.concat([
                    "'fb.1.'",
                    'cast(' ~ epoch_milliseconds('latest.fbclid_clicked_at') ~ ' as ' ~ dbt.type_string() ~ ')',
                    "'.'",
                    'latest.fbclid',
                ]) }}
        end as fbc,
        latest.ttclid,
        latest.ttclid_clicked_at,
        latest.ttclid_session_key,
        latest.gclid,
        latest.gclid_clicked_at,
        latest.gclid_session_key
    from conversions
    left join latest
        on conversions.conversion_id = latest.conversion_id
)

select * from final
