-- Send once: no delta row of an event platform (Criteo: no product line) carries a key that
-- the ledger shows as sent on another as_of. Returns the re-sent rows.
with ledger as (
    select * from {{ ref('export_ledger') }}
    where first_sent_as_of <> {{ export_as_of_date() }}
),

delta_rows as (
    {{ export_union(['export_key'], suffix='_delta', events_only=true) }}
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
