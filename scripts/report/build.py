"""Builds the static campaign report from the marts (docs/marts.md, "The report").

Reads the warehouse read-only: only aggregated report tables (rpt_*, export_audit,
export_file_status) and grouped counts of the audit tables, so the time does not grow with
the number of events (the campaign pages are one query per table, split in Python).
"""
from __future__ import annotations

import datetime as dt
import shutil
import time
from collections import defaultdict
from pathlib import Path

import duckdb
import plotly.graph_objects as go

from report.layout import NOT_ENOUGH_DATA, Page, cell, esc, fmt, kpis, table

ATTRIBUTION_MODELS = ["last_touch", "first_touch", "linear", "position_based"]
TESTED_RATES = [("open_rate", "Open rate"), ("click_rate", "Click rate"), ("click_to_open_rate", "Click-to-open"),
                ("unsubscribe_rate", "Unsubscribe rate"), ("conversion_rate", "Conversion rate")]


def rows(con, sql: str, params: list | None = None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def table_exists(con, schema: str, name: str) -> bool:
    return bool(con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                            [schema, name]).fetchone()[0])


def columns(con, schema: str, name: str) -> set[str]:
    return {r[0] for r in con.execute("select column_name from information_schema.columns "
                                      "where table_schema = ? and table_name = ?", [schema, name]).fetchall()}


def column_or_null(cols: set[str], *names: str) -> str:
    """The first of names that the table has (audit columns were renamed once), else NULL."""
    return next((n for n in names if n in cols), "null")


def default_model(con) -> str:
    if table_exists(con, "marts", "fct_attributed_conversions"):
        found = con.execute("select min(attribution_model) from marts.fct_attributed_conversions "
                            "where is_default_model").fetchone()[0]
        if found:
            return found
    return "last_touch"


def perf_columns(model: str) -> list[tuple[str, str, str]]:
    """(column, label, kind) of the funnel + money columns of a performance report."""
    return [("sends", "Sends", "int"), ("delivered", "Deliveries", "int"), ("unique_opens", "Opens (unique)", "int"),
            ("unique_clicks", "Clicks (unique)", "int"), (f"{model}_orders", "Conversions", "int"),
            (f"{model}_revenue", "Revenue", "money"), ("cost", "Cost", "money"), ("roas", "ROAS", "ratio")]


def perf_cells(r: dict, model: str) -> list[str]:
    return [cell(r.get(c), k, metric=c.replace(f"{model}_", "attributed_")) for c, _, k in perf_columns(model)]


def totals(perf: list[dict], model: str) -> dict:
    t = {c: sum(float(r[c] or 0) for r in perf) for c, _, k in perf_columns(model) if c != "roas"}
    t["roas"] = t[f"{model}_revenue"] / t["cost"] if t["cost"] else None
    return t


def funnel_chart(page: Page, t: dict, model: str, title: str) -> None:
    labels = ["Sends", "Deliveries", "Opens (unique)", "Clicks (unique)", "Conversions"]
    values = [t["sends"], t["delivered"], t["unique_opens"], t["unique_clicks"], t[f"{model}_orders"]]
    page.chart(go.Figure(go.Funnel(y=labels, x=values, textinfo="value+percent initial")).update_layout(title=title))


def campaign_page_name(campaign_id: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in campaign_id)
    return f"campaigns/{safe}.html"


def comparison_cells(r: dict, prefix: str, diff_col: str) -> list[str]:
    """diff, interval, p-value, verdict of one tested rate; 'not enough data' when the sample
    is too small (no lift shown)."""
    if r.get(f"{prefix}is_sample_sufficient") is not True:
        reason = "reference" if r.get("is_reference_variant") else NOT_ENOUGH_DATA
        return [cell(None, "pctpt", display=reason, css="insufficient")] + \
               [cell(None, "pctpt", display="", css="insufficient")] * 2 + \
               [cell(None, "text", display=reason, css="insufficient", metric=f"{prefix}verdict")]
    low, high = r.get(f"{prefix}diff_ci_low"), r.get(f"{prefix}diff_ci_high")
    interval = f"[{fmt(low, 'pctpt')}, {fmt(high, 'pctpt')}]" if low is not None else "-"
    sig = r.get(f"{prefix}is_significant")
    return [cell(r.get(diff_col), "pctpt", metric=diff_col), cell(low, "pctpt", display=interval),
            cell(r.get(f"{prefix}p_value"), "pvalue", metric=f"{prefix}p_value"),
            cell("significant" if sig else "not significant", "text", css="sig" if sig else "nosig",
                 metric=f"{prefix}verdict")]


def build(db: Path, out: Path, as_of: str) -> dict:
    started = time.perf_counter()
    con = duckdb.connect(str(db), read_only=True)
    model = default_model(con)
    generated = f"as_of {as_of} · warehouse {db.name}"
    pages: list[tuple[Page, str]] = []
    sub = f"Counts only what happened before {as_of}; conversions, revenue and ROAS: {model} attribution"

    missing: list[str] = []

    def report_rows(name: str, order: str) -> list[dict]:
        # A warehouse built in part (dbt build -s ...) still gets a report: a missing table
        # gives empty sections and a line on the overview.
        if not table_exists(con, "marts", name):
            missing.append(f"marts.{name}")
            return []
        return rows(con, f"select * from marts.{name} order by {order}")

    campaigns = report_rows("rpt_campaign_performance", "campaign_name, campaign_id")
    dispatches = report_rows("rpt_dispatch_performance", "dispatch_name, dispatch_id")
    messages = report_rows("rpt_message_performance", "message_name, message_id")
    variants = report_rows("rpt_dispatch_variant_comparison", "dispatch_id, variant")
    lift = report_rows("rpt_direct_mail_lift", "dispatch_id")
    daily = report_rows("rpt_campaign_performance_daily", "report_date, campaign_id")
    names = {c["campaign_id"]: c["campaign_name"] or c["campaign_id"] for c in campaigns}

    # --- overview ---------------------------------------------------------------------------
    page = Page("index.html", "Campaign overview", sub)
    if missing:
        page.note("Not in the warehouse (not built): " + ", ".join(missing) + ".")
    t = totals(campaigns, model)
    page.add(kpis([("Sends", "sends", t["sends"], "int"), ("Deliveries", "delivered", t["delivered"], "int"),
                   ("Opens (unique)", "unique_opens", t["unique_opens"], "int"),
                   ("Clicks (unique)", "unique_clicks", t["unique_clicks"], "int"),
                   ("Conversions", "attributed_orders", t[f"{model}_orders"], "int"),
                   ("Revenue", "attributed_revenue", t[f"{model}_revenue"], "money"),
                   ("Cost", "cost", t["cost"], "money"), ("ROAS", "roas", t["roas"], "ratio")]))
    funnel_chart(page, t, model, "Funnel, all campaigns")
    page.h2("Per campaign")
    headers = [("Campaign", "text")] + [(label, k) for _, label, k in perf_columns(model)]
    page.add(table(headers, [[f'<td class="text" data-value="{esc(c["campaign_name"])}"><a href="{campaign_page_name(c["campaign_id"])}">'
                              f'{esc(c["campaign_name"] or c["campaign_id"])}</a></td>'] + perf_cells(c, model)
                             for c in campaigns], table_id="campaigns"))
    page.chart(go.Figure(go.Bar(x=[names[c["campaign_id"]] + " (" + c["campaign_id"] + ")" for c in campaigns],
                                y=[float(c["roas"]) if c["roas"] is not None else None for c in campaigns]))
               .update_layout(title="ROAS per campaign"))
    page.h2("Per channel")
    by_channel: dict[str, list[dict]] = defaultdict(list)
    for d in dispatches:
        by_channel[d["channel"] or "other"].append(d)
    channel_rows = []
    for channel in sorted(by_channel):
        ct = totals(by_channel[channel], model)
        channel_rows.append([cell(channel, "text")] + perf_cells(ct, model))
    page.note("Channel figures add up the channel's dispatches: unique opens and clicks are distinct per dispatch.")
    page.add(table([("Channel", "text")] + [(label, k) for _, label, k in perf_columns(model)], channel_rows,
                   table_id="channels"))
    pages.append((page, "index.html"))

    # --- trends -----------------------------------------------------------------------------
    page = Page("trends.html", "Trends by day", sub)
    by_day: dict = defaultdict(lambda: defaultdict(float))
    for r in daily:
        for c in ("sends", "unique_clicks", f"{model}_orders", f"{model}_revenue", "cost"):
            by_day[r["report_date"]][c] += float(r[c] or 0)
    days = sorted(by_day)
    fig = go.Figure()
    for c, label in (("sends", "Sends"), ("unique_clicks", "Clicks (unique per campaign and day)"),
                     (f"{model}_orders", "Conversions")):
        fig.add_trace(go.Scatter(x=[str(d) for d in days], y=[by_day[d][c] for d in days], name=label, mode="lines"))
    page.chart(fig.update_layout(title="Engagement and conversions by local day"))
    fig = go.Figure()
    for c, label in ((f"{model}_revenue", "Revenue"), ("cost", "Cost")):
        fig.add_trace(go.Scatter(x=[str(d) for d in days], y=[by_day[d][c] for d in days], name=label, mode="lines"))
    page.chart(fig.update_layout(title="Revenue and cost by local day"))
    page.add(table([("Day", "text"), ("Sends", "int"), ("Clicks", "int"), ("Conversions", "int"), ("Revenue", "money"),
                    ("Cost", "money")],
                   [[cell(str(d), "text"), cell(by_day[d]["sends"]), cell(by_day[d]["unique_clicks"]),
                     cell(by_day[d][f"{model}_orders"]), cell(by_day[d][f"{model}_revenue"], "money"),
                     cell(by_day[d]["cost"], "money")] for d in days], table_id="days"))
    pages.append((page, "trends.html"))

    # --- campaign pages ---------------------------------------------------------------------
    page = Page("campaigns.html", "Campaigns", sub)
    page.add(table([("Campaign", "text"), ("Id", "text"), ("Dispatches", "int"), ("Messages", "int")] +
                   [(label, k) for _, label, k in perf_columns(model)],
                   [[f'<td class="text" data-value="{esc(c["campaign_name"])}"><a href="{campaign_page_name(c["campaign_id"])}">'
                     f'{esc(c["campaign_name"] or c["campaign_id"])}</a></td>', cell(c["campaign_id"], "text"),
                     cell(c["dispatch_count"]), cell(c["message_count"])] + perf_cells(c, model) for c in campaigns]))
    pages.append((page, "campaigns.html"))
    d_by_c, m_by_c, v_by_c, day_by_c = defaultdict(list), defaultdict(list), defaultdict(list), defaultdict(list)
    for d in dispatches:
        d_by_c[d["campaign_id"]].append(d)
    for m in messages:
        m_by_c[m["campaign_id"]].append(m)
    for v in variants:
        v_by_c[v["campaign_id"]].append(v)
    for r in daily:
        day_by_c[r["campaign_id"]].append(r)
    for c in campaigns:
        cid = c["campaign_id"]
        page = Page(campaign_page_name(cid), f"Campaign: {c['campaign_name'] or cid}", f"{cid} · {sub}", depth=1)
        page.add(f'<div id="campaign" data-campaign-id="{esc(cid)}"></div>')
        page.add(kpis([(label, c_.replace(f"{model}_", "attributed_"), c.get(c_), k) for c_, label, k in perf_columns(model)]))
        funnel_chart(page, c, model, "Funnel")
        if day_by_c[cid]:
            fig = go.Figure()
            fig.add_trace(go.Bar(x=[str(r["report_date"]) for r in day_by_c[cid]], y=[r["sends"] for r in day_by_c[cid]],
                                 name="Sends"))
            fig.add_trace(go.Scatter(x=[str(r["report_date"]) for r in day_by_c[cid]],
                                     y=[float(r[f"{model}_orders"]) for r in day_by_c[cid]], name="Conversions",
                                     yaxis="y2", mode="lines+markers"))
            page.chart(fig.update_layout(title="By day", yaxis2=dict(overlaying="y", side="right")), height=300)
        page.h2("Dispatches")
        page.add(table([("Dispatch", "text"), ("Channel", "text")] + [(label, k) for _, label, k in perf_columns(model)],
                       [[cell(d["dispatch_name"] or d["dispatch_id"], "text"), cell(d["channel"], "text")] +
                        perf_cells(d, model) for d in d_by_c[cid]], table_id="dispatches"))
        page.h2("Messages")
        page.add(table([("Message", "text"), ("Channel", "text"), ("Variant", "text"), ("Holdout", "text"),
                        ("Send time", "text")] + [(label, k) for _, label, k in perf_columns(model)],
                       [[cell(m["message_name"] or m["message_id"], "text"), cell(m["channel"], "text"),
                         cell(m["variant"], "text"), cell("yes" if m["is_holdout"] else "no", "text"),
                         cell(str(m["send_at"] or ""), "text")] + perf_cells(m, model) for m in m_by_c[cid]],
                       table_id="messages"))
        page.h2("Variants (A/B)")
        page.add(variant_table(v_by_c[cid], "variants"))
        pages.append((page, "campaigns.html"))

    # --- A/B tests --------------------------------------------------------------------------
    page = Page("ab_tests.html", "A/B tests", sub)
    page.note("Each variant is compared with its dispatch's reference variant (first named variant). p-value: "
              "two-sided two-proportion z-test; interval: 95 % of the difference in percentage points. "
              f"'{NOT_ENOUGH_DATA}': an arm is below the minimum sample (var comparison_min_recipients_per_arm); "
              "no lift is shown then. Five rates per variant are five tests: expect a false positive now and then.")
    tested = [v for v in variants if v["dispatch_id"] in {x["dispatch_id"] for x in variants if not x["is_reference_variant"]}]
    page.add(variant_table(tested, "ab_tests", with_dispatch=True))
    pages.append((page, "ab_tests.html"))

    # --- direct-mail lift -------------------------------------------------------------------
    page = Page("direct_mail.html", "Direct-mail lift", sub)
    page.note("Response rate of the mailed group against the holdout: difference with its 95 % interval and the "
              f"two-proportion z-test. '{NOT_ENOUGH_DATA}' when either group is below the minimum sample.")
    lift_rows = []
    for r in lift:
        base = [cell(r["dispatch_name"] or r["dispatch_id"], "text"), cell(names.get(r["campaign_id"], r["campaign_id"]), "text"),
                cell(r["mailed_recipients"], metric="mailed_recipients"), cell(r["holdout_recipients"], metric="holdout_recipients"),
                cell(r["mailed_response_rate"], "pct"), cell(r["holdout_response_rate"], "pct")]
        if r["is_sample_sufficient"]:
            interval = f"[{fmt(r['diff_ci_low'], 'pctpt')}, {fmt(r['diff_ci_high'], 'pctpt')}]"
            base += [cell(r["response_rate_difference"], "pctpt", metric="lift"), cell(r["diff_ci_low"], "pctpt", display=interval),
                     cell(r["p_value"], "pvalue", metric="p_value"), cell(r["incremental_responders"], "int"),
                     cell("significant" if r["is_significant"] else "not significant", "text",
                          css="sig" if r["is_significant"] else "nosig", metric="verdict")]
        else:
            base += [cell(None, "pctpt", display=NOT_ENOUGH_DATA, css="insufficient", metric="lift")] + \
                    [cell(None, "text", display="", css="insufficient")] * 3 + \
                    [cell(None, "text", display=NOT_ENOUGH_DATA, css="insufficient", metric="verdict")]
        row = [f'<td class="text" data-dispatch-id="{esc(r["dispatch_id"])}" data-value="{esc(r["dispatch_id"])}">{esc(r["dispatch_id"])}</td>'] + base
        lift_rows.append(row)
    page.add(table([("Id", "text"), ("Dispatch", "text"), ("Campaign", "text"), ("Mailed", "int"), ("Holdout", "int"),
                    ("Mailed rate", "pct"), ("Holdout rate", "pct"), ("Lift", "pctpt"), ("95 % interval", "text"),
                    ("p-value", "pvalue"), ("Incremental responders", "int"), ("Verdict", "text")], lift_rows,
                   table_id="lift"))
    ok = [r for r in lift if r["is_sample_sufficient"]]
    if ok:
        diffs = [float(r["response_rate_difference"]) * 100 for r in ok]
        fig = go.Figure(go.Scatter(
            x=[r["dispatch_id"] for r in ok], y=diffs, mode="markers",
            error_y=dict(type="data", symmetric=False,
                         array=[float(r["diff_ci_high"]) * 100 - d for r, d in zip(ok, diffs)],
                         arrayminus=[d - float(r["diff_ci_low"]) * 100 for r, d in zip(ok, diffs)])))
        page.chart(fig.update_layout(title="Lift (percentage points) with 95 % interval", yaxis_title="pt"))
    pages.append((page, "direct_mail.html"))

    # --- attribution ------------------------------------------------------------------------
    page = Page("attribution.html", "Attribution models side by side", sub)
    page.note(f"Orders (sum of credits) and revenue per campaign under each model; {model} is the default "
              "(cost per order and ROAS). docs/attribution.md describes the models.")
    fig = go.Figure()
    for m in ATTRIBUTION_MODELS:
        fig.add_trace(go.Bar(x=[c["campaign_id"] for c in campaigns], y=[float(c[f"{m}_revenue"]) for c in campaigns], name=m))
    page.chart(fig.update_layout(barmode="group", title="Attributed revenue per campaign and model"))
    page.add(table([("Campaign", "text")] + [(f"{m} {w}", k) for m in ATTRIBUTION_MODELS
                                             for w, k in (("orders", "ratio"), ("revenue", "money"))],
                   [[cell(c["campaign_name"] or c["campaign_id"], "text")] +
                    [cell(c[f"{m}_{w}"], k, metric=f"{m}_{w}") for m in ATTRIBUTION_MODELS
                     for w, k in (("orders", "ratio"), ("revenue", "money"))] for c in campaigns], table_id="attribution"))
    pages.append((page, "attribution.html"))

    # --- web sessions -----------------------------------------------------------------------
    page = Page("web.html", "Web sessions", f"Sessions before {as_of}; anonymous visits included (docs/marts.md#web-sessions)")
    web = report_rows("rpt_web_sessions_daily", "report_date, channel_group, utm_campaign, campaign_id")
    if missing and "marts.rpt_web_sessions_daily" in missing:
        page.note("marts.rpt_web_sessions_daily is not built.")
    web_sums = ("sessions", "anonymous_sessions", "converted_sessions", "conversions", "revenue_reporting")

    def web_totals(group: list[dict]) -> dict:
        return {c: sum(float(r[c] or 0) for r in group) for c in web_sums}

    wt = web_totals(web)
    page.note("Visitors are counted per day and row (a cookie, else a SessionID), so they are not added up here; "
              "sessions, conversions and revenue add up. Identified: the session has a customer (own identifiers "
              "or a cookie stitched to the customer who later identified).")
    page.add(kpis([("Sessions", "web_sessions", wt["sessions"], "int"),
                   ("Anonymous sessions", "web_anonymous_sessions", wt["anonymous_sessions"], "int"),
                   ("Identified share", "web_identified_share",
                    (wt["sessions"] - wt["anonymous_sessions"]) / wt["sessions"] if wt["sessions"] else None, "pct"),
                   ("Converted sessions", "web_converted_sessions", wt["converted_sessions"], "int"),
                   ("Revenue", "web_revenue", wt["revenue_reporting"], "money")]))
    web_headers = [("Sessions", "int"), ("Anonymous", "int"), ("Converted", "int"), ("Conversions", "int"),
                   ("Revenue", "money")]

    def web_cells(t: dict) -> list[str]:
        return [cell(t["sessions"], metric="sessions"), cell(t["anonymous_sessions"]), cell(t["converted_sessions"]),
                cell(t["conversions"]), cell(t["revenue_reporting"], "money")]

    by_group: dict[str, list[dict]] = defaultdict(list)
    for r in web:
        by_group[r["channel_group"]].append(r)
    page.h2("By channel group")
    page.add(table([("Channel group", "text")] + web_headers,
                   [[cell(g, "text")] + web_cells(web_totals(by_group[g])) for g in sorted(by_group)],
                   table_id="web_channels"))
    by_utm: dict[tuple, list[dict]] = defaultdict(list)
    for r in web:
        if r["utm_campaign"] is not None or r["campaign_id"] is not None:
            by_utm[(r["utm_campaign"] or "", r["campaign_id"] or "")].append(r)
    page.h2("By utm_campaign and the campaign it resolves to")
    page.add(table([("utm_campaign", "text"), ("Campaign", "text")] + web_headers,
                   [[cell(u or "-", "text"), cell(names.get(c, c) or "-", "text")] + web_cells(web_totals(by_utm[(u, c)]))
                    for u, c in sorted(by_utm)], table_id="web_campaigns"))
    web_days = sorted({r["report_date"] for r in web})
    day_totals = {d: web_totals([r for r in web if r["report_date"] == d]) for d in web_days}
    fig = go.Figure()
    fig.add_trace(go.Scatter(x=[str(d) for d in web_days], y=[day_totals[d]["sessions"] for d in web_days],
                             name="Sessions", mode="lines"))
    fig.add_trace(go.Scatter(x=[str(d) for d in web_days], y=[day_totals[d]["anonymous_sessions"] for d in web_days],
                             name="Anonymous sessions", mode="lines"))
    page.chart(fig.update_layout(title="Web sessions by local day"))
    pages.append((page, "web.html"))

    # --- exports ----------------------------------------------------------------------------
    page = Page("exports.html", "Exports", f"as_of {as_of}")
    if table_exists(con, "exports", "export_audit"):
        audit = rows(con, "select * from exports.export_audit order by platform, as_of, reason")
        exported = [r for r in audit if r["reason"] == "exported"]
        page.h2("Rows exported per platform and day")
        page.add(table([("Platform", "text"), ("as_of", "text"), ("Rows", "int")],
                       [[cell(r["platform"], "text"), cell(str(r["as_of"]), "text"), cell(r["row_count"], metric="row_count")]
                        for r in exported], table_id="exported"))
        if exported:
            page.chart(go.Figure(go.Bar(x=[r["platform"] for r in exported], y=[r["row_count"] for r in exported]))
                       .update_layout(title="Rows exported (latest runs)"))
        page.h2("Exclusions by reason")
        page.add(table([("Platform", "text"), ("as_of", "text"), ("Reason", "text"), ("Rows", "int")],
                       [[cell(r["platform"], "text"), cell(str(r["as_of"]), "text"), cell(r["reason"], "text"),
                         cell(r["row_count"])] for r in audit if r["reason"] not in ("exported", "sent")],
                       table_id="exclusions"))
    else:
        page.note("exports.export_audit is not built.")
    if table_exists(con, "exports", "export_file_status"):
        status = rows(con, "select * from exports.export_file_status order by platform")
        page.h2("Platforms not ready")
        page.add(table([("Platform", "text"), ("as_of", "text"), ("Status", "text"), ("Why", "text")],
                       [[cell(r.get("platform"), "text"), cell(str(r.get("as_of")), "text"), cell(r.get("file_status"), "text"),
                         cell(r.get("not_ready_reason"), "text")] for r in status if r.get("is_ready") is False], table_id="not_ready"))
    pages.append((page, "exports.html"))

    # --- data quality -----------------------------------------------------------------------
    page = Page("data_quality.html", "Data quality", f"as_of {as_of}")
    if table_exists(con, "audit", "rejected_rows"):
        reason = column_or_null(columns(con, "audit", "rejected_rows"), "reason", "reject_reason")
        rejects = rows(con, f"select entity, {reason} as reason, count(*) as row_count from audit.rejected_rows "
                            "group by 1, 2 order by 1, 2")
        page.h2("Rejected rows per entity and reason")
        page.add(table([("Entity", "text"), ("Reason", "text"), ("Rows", "int")],
                       [[cell(r["entity"], "text"), cell(r["reason"], "text"), cell(r["row_count"], metric="row_count")]
                        for r in rejects], table_id="rejects"))
        if rejects:
            fig = go.Figure()
            for reason in sorted({r["reason"] for r in rejects}):
                sel = [r for r in rejects if r["reason"] == reason]
                fig.add_trace(go.Bar(x=[r["entity"] for r in sel], y=[r["row_count"] for r in sel], name=reason))
            page.chart(fig.update_layout(barmode="stack", title="Rejected rows"))
    if table_exists(con, "audit", "ingestion_audit"):
        cols = columns(con, "audit", "ingestion_audit")
        files = [] if "file_status" not in cols else rows(
            con, f"select entity, source_file, {column_or_null(cols, 'quarantine_reason')} as quarantine_reason, "
                 f"{column_or_null(cols, 'quarantine_detail')} as quarantine_detail from audit.ingestion_audit "
                 "where file_status = 'quarantined' order by source_file")
        loaded = con.execute("select count(*), coalesce(sum(rows_read), 0) from audit.ingestion_audit").fetchone()
        page.note(f"{loaded[0]} landing files recorded, {loaded[1]:,} rows read.")
        page.h2("Quarantined files")
        page.add(table([("Entity", "text"), ("File", "text"), ("Reason", "text"), ("Detail", "text")],
                       [[cell(r["entity"], "text"), cell(r["source_file"], "text"), cell(r["quarantine_reason"], "text"),
                         cell(r["quarantine_detail"], "text")] for r in files], table_id="quarantined"))
    pages.append((page, "data_quality.html"))

    # --- write (into a fresh folder, then swapped in) -----------------------------------------
    con.close()
    tmp = out.with_name(out.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    (tmp / "campaigns").mkdir(parents=True)
    stamp = f"{generated} · built {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC"
    for p, active in pages:
        (tmp / p.filename).write_text(p.render(active, stamp), encoding="utf-8")
    shutil.rmtree(out, ignore_errors=True)
    tmp.rename(out)
    return {"pages": len(pages), "campaigns": len(campaigns), "seconds": time.perf_counter() - started,
            "bytes": sum(f.stat().st_size for f in out.rglob("*.html"))}


def variant_table(variants: list[dict], table_id: str, with_dispatch: bool = False) -> str:
    headers = ([("Dispatch", "text")] if with_dispatch else []) + [("Variant", "text"), ("Recipients", "int"),
                                                                    ("Delivered", "int")]
    for _, label in TESTED_RATES:
        headers += [(label, "pct"), (f"{label} diff", "pctpt"), ("95 % interval", "text"), ("p-value", "pvalue"),
                    ("Verdict", "text")]
    body = []
    for v in variants:
        r = [cell(v["dispatch_name"] or v["dispatch_id"], "text")] if with_dispatch else []
        r += [cell(v["variant"] + (" (reference)" if v["is_reference_variant"] else ""), "text"),
              cell(v["recipients"], metric="recipients"), cell(v["delivered"], metric="delivered")]
        for rate, _ in TESTED_RATES:
            r.append(cell(v[rate], "pct", metric=rate))
            r += comparison_cells(v, f"{rate}_", f"{rate}_diff")
        body.append(r)
    return table(headers, body, table_id=table_id)
