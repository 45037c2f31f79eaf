-- Customers: one row per customer_id, accepted raw rows merged in delivery order.
-- Merge rule (docs/feed-contract.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key): macro merge_in_delivery_order.
{#- Preferences as '&'-delimited lower-case text, so that one flag (DNE, DNC, DNS) is true only
    for <flag>=Y. -#}
{%- set preferences = "lower(concat('&', replace(replace(preferences, ' ', ''), ';', '&'), '&'))" %}
with accepted as (
    {{ accepted_rows('customer', {'customer': ref('base_cdp__customers')}) }}
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
        coalesce({{ preferences }} like '%&dne=y&%', false) as do_not_email,
        coalesce({{ preferences }} like '%&dnc=y&%', false) as do_not_call,
        coalesce({{ preferences }} like '%&dns=y&%', false) as do_not_sell
    from merged
)

select * from final
