-- Customers: one row per customer_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
with accepted as (
    {{ accepted_rows('customer') }}
),

merged as (
    {{ merge_in_delivery_order('accepted', 'customer_id', [
            'first_name',
            'last_name',
            'email',
            'mobile_phone',
            'primary_phone',
            'address_1',
            'city',
            'state',
            'zip_code',
            'country_code',
            'birth_date',
            'gender',
            'preferences',
            'created_at',
            'modified_at'
        ]) }}
),

final as (
    select
        *,
        {{ preference_flag('preferences', 'DNE') }} as do_not_email,
        {{ preference_flag('preferences', 'DNC') }} as do_not_call,
        {{ preference_flag('preferences', 'DNS') }} as do_not_sell
    from merged
)

select * from final
