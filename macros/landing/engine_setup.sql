{#- The on-run-start hook `create_landing_relations` on engines other than DuckDB: the landing
    tables themselves come from scripts/load_landing.py; the hook only installs what the
    portable SQL needs there.

    PostgreSQL has no TRY_CAST: a cast of a malformed value ('2026-02-30', a 30-digit number)
    fails the whole statement. The safe parsers of macros/cross_db/parsing.sql call these
    exception-catching functions (schema: the target's), after their own format checks, so an
    unparseable value becomes NULL as on DuckDB and Spark. -#}

{% macro postgres__create_landing_relations() %}
    {%- set s = target.schema -%}
    create schema if not exists {{ s }};
    create or replace function {{ s }}.closedloop_try_timestamptz(v text) returns timestamptz
        language plpgsql stable parallel safe as $fn$
        begin return cast(v as timestamptz); exception when others then return null; end $fn$;
    create or replace function {{ s }}.closedloop_try_timestamp(v text) returns timestamp
        language plpgsql immutable parallel safe as $fn$
        begin return cast(v as timestamp); exception when others then return null; end $fn$;
    create or replace function {{ s }}.closedloop_try_numeric(v text, p integer, s integer) returns numeric
        language plpgsql immutable parallel safe as $fn$
        declare x numeric;
        begin
            x := round(cast(trim(v) as numeric), s);
            if abs(x) >= power(10::numeric, p - s) then return null; end if;
            return x;
        exception when others then return null;
        end $fn$
{% endmacro %}
