-- Customers: one row per customer_id, accepted raw rows merged in delivery order.
-- Merge rule (feeds.md): for each attribute the latest non-NULL value wins; a NULL never
-- erases an earlier value (custom attributes too, key by key). Soft-deleted records stay here, flagged.
with accepted as (
    {{ accepted_rows('customer') }}
),

merged as (
    select
        customer_id,
        {{ latest_non_null('first_name', 'load_order') }} as first_name,
        {{ latest_non_null('last_name', 'load_order') }} as last_name,
        {{ latest_non_null('email', 'load_order') }} as email,
        {{ latest_non_null('mobile_phone', 'load_order') }} as mobile_phone,
        {{ latest_non_null('primary_phone', 'load_order') }} as primary_phone,
        {{ latest_non_null('address_1', 'load_order') }} as address_1,
        {{ latest_non_null('city', 'load_order') }} as city,
        {{ latest_non_null('state', 'load_order') }} as state,
        {{ latest_non_null('zip_code', 'load_order') }} as zip_code,
        {{ latest_non_null('country_code', 'load_order') }} as country_code,
        {{ latest_non_null('birth_date', 'load_order') }} as birth_date,
        {{ latest_non_null('gender', 'load_order') }} as gender,
        {{ latest_non_null('preferences', 'load_order') }} as preferences,
        {{ latest_non_null('created_at', 'load_order') }} as created_at,
        {{ latest_non_null('modified_at', 'load_order') }} as modified_at,
        {{ merge_json_objects('custom_attributes', 'load_order') }} as custom_attributes,
        {{ latest_non_null('source_system', 'load_order') }} as source_system,
        {{ latest_non_null('source_file', 'load_order') }} as source_file,
        coalesce({{ latest_non_null('is_deleted', 'load_order') }}, false) as is_deleted,
        max(file_loaded_at) as file_loaded_at,
        min(file_loaded_at) as first_loaded_at,
        count(*) as source_row_count
    from accepted
    group by customer_id
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
