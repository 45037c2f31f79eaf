"""The static report (`make report`, scripts/report) opened in headless Chromium.

Builds the report from the `make run` sample (fixture sample_warehouse), opens its pages in
Debian's chromium driven by playwright (no browser download: executable_path), and fails on
any console error, page error or request that leaves the report's folder. Screenshots of the
overview and a campaign page go to the test's tmp folder. The numbers shown for three
campaigns are compared with rpt_campaign_performance, and the direct-mail dispatch with a
single holdout customer shows "not enough data".

Chromium: /usr/bin/chromium, installed here with apt-get when missing and running as root;
otherwise the test is skipped with the reason printed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import ROOT

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is test-only: pip install -r requirements-test.txt")


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    if hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "update", "-qq"], capture_output=True, timeout=600)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], capture_output=True, timeout=1200,
                       env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        found = shutil.which("chromium")
        if found:
            return found
    reason = "no chromium on PATH and it could not be installed (apt-get install chromium needs root)"
    print(f"SKIPPED: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def report(sample_warehouse, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "report"), "--as-of", "2026-11-01",
                           "--db", str(sample_warehouse), "--out", str(out)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert str(out / "index.html") in proc.stdout
    return out


@pytest.fixture(scope="module")
def browser():
    path = chromium_path()
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def open_page(browser, url: str):
    """The page and the list its console errors, page errors and outside requests go to."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))

    def guard(route):
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            problems.append(f"network request: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    page.goto(url, wait_until="load")
    # every chart drawn (plotly renders its SVG after load)
    page.wait_for_function("Array.from(document.querySelectorAll('.chart')).every(c => c.querySelector('.main-svg'))",
                           timeout=30000)
    return page, problems


def shown(page, selector: str) -> dict[str, tuple[str, str]]:
    """data-metric -> (data-value, text) of the elements under selector."""
    return {e.get_attribute("data-metric"): (e.get_attribute("data-value"), e.inner_text().strip())
            for e in page.query_selector_all(f"{selector} [data-metric]")}


def as_text(value, kind: str) -> str:
    v = float(value)
    return f"{v:,.2f}" if kind in ("money", "ratio") else (f"{v:,.0f}" if v == int(v) else f"{v:,.2f}")


CHECKED = [("sends", "sends", "int"), ("delivered", "delivered", "int"), ("unique_opens", "unique_opens", "int"),
           ("unique_clicks", "unique_clicks", "int"), ("attributed_orders", "last_touch_orders", "int"),
           ("attributed_revenue", "last_touch_revenue", "money"), ("cost", "cost", "money"), ("roas", "roas", "ratio")]


def test_report_pages_have_no_errors_and_show_the_marts_numbers(report, browser, sample_warehouse, tmp_path):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    campaigns = con.execute("select campaign_id, sends, delivered, unique_opens, unique_clicks, last_touch_orders, "
                            "last_touch_revenue, cost, roas from marts.rpt_campaign_performance "
                            "where sends > 0 order by sends desc, campaign_id limit 3").fetchall()
    con.close()  # the warehouse file must not stay locked by this process (mf opens it later)
    assert len(campaigns) == 3
    every_page = sorted(report.glob("*.html")) + sorted((report / "campaigns").glob("*.html"))
    assert len(every_page) >= 8 + 3
    for html_file in every_page:
        text = html_file.read_text(encoding="utf-8")
        assert "<script src=" not in text and "<link " not in text, html_file.name  # everything inline
        page, problems = open_page(browser, html_file.as_uri())
        assert problems == [], f"{html_file.name}: {problems}"
        if html_file.name == "index.html" and html_file.parent == report:
            page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
        page.close()

    for i, (cid, *values) in enumerate(campaigns):
        page, problems = open_page(browser, (report / "campaigns" / f"{cid}.html").as_uri())
        if i == 0:
            page.screenshot(path=str(tmp_path / "campaign.png"), full_page=True)
        assert page.get_attribute("#campaign", "data-campaign-id") == cid
        got = shown(page, ".kpis")
        expected = dict(zip(["sends", "delivered", "unique_opens", "unique_clicks", "last_touch_orders",
                             "last_touch_revenue", "cost", "roas"], values))
        for metric, column, kind in CHECKED:
            value, text = got[metric]
            want = expected[column]
            if want is None:
                assert text == "-", (cid, metric)
                continue
            assert float(value) == pytest.approx(float(want), abs=1e-9), (cid, metric)
            assert text == as_text(want, kind), (cid, metric, text)
        assert problems == []
        page.close()

    # the overview's campaign table holds the same figures
    page, _ = open_page(browser, (report / "index.html").as_uri())
    for cid, sends, *_ in campaigns:
        link = page.query_selector(f'#campaigns a[href="campaigns/{cid}.html"]')
        row = link.evaluate_handle("a => a.closest('tr')")
        assert row.query_selector('[data-metric="sends"]').get_attribute("data-value") == str(float(sends))
    # sorting by a header click puts the largest sends first (descending on the second click)
    page.click("#campaigns th:nth-child(2)")
    page.click("#campaigns th:nth-child(2)")
    first = page.query_selector("#campaigns tbody tr td:nth-child(2)").get_attribute("data-value")
    assert float(first) == max(float(c[1]) for c in campaigns)
    page.close()
    assert (tmp_path / "overview.png").stat().st_size > 10_000
    assert (tmp_path / "campaign.png").stat().st_size > 10_000
    print(f"screenshots: {tmp_path / 'overview.png'} {tmp_path / 'campaign.png'}")


def test_direct_mail_lift_with_one_holdout_shows_not_enough_data(report, browser, sample_warehouse):
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    one = con.execute("select dispatch_id from marts.rpt_direct_mail_lift where holdout_recipients = 1").fetchall()
    con.close()
    assert one, "the sample has a direct-mail dispatch with a single holdout customer"
    page, problems = open_page(browser, (report / "direct_mail.html").as_uri())
    for (dispatch_id,) in one:
        row = page.query_selector(f'#lift td[data-dispatch-id="{dispatch_id}"]').evaluate_handle("td => td.closest('tr')")
        assert row.query_selector('[data-metric="lift"]').inner_text().strip() == "not enough data"
        assert row.query_selector('[data-metric="verdict"]').inner_text().strip() == "not enough data"
    assert problems == []
    page.close()


def test_web_page_shows_the_sessions_of_fct_web_sessions(report, browser, sample_warehouse):
    """The Web page's totals are those of fct_web_sessions before as_of (computed here from the
    mart, not from the report table the page reads), and its channel table adds up to them."""
    con = duckdb.connect(str(sample_warehouse), read_only=True)
    sessions, anonymous, converted, revenue = con.execute(
        "select count(*), count(*) filter (where customer_id is null), count(*) filter (where is_converted), "
        "sum(converted_revenue_reporting) from marts.fct_web_sessions where session_local_date < date '2026-11-01'"
    ).fetchone()
    con.close()
    assert sessions > 0 and anonymous > 0  # the sample has anonymous visits
    page, problems = open_page(browser, (report / "web.html").as_uri())
    got = shown(page, ".kpis")
    assert float(got["web_sessions"][0]) == sessions
    assert float(got["web_anonymous_sessions"][0]) == anonymous
    assert float(got["web_converted_sessions"][0]) == converted
    assert float(got["web_revenue"][0]) == pytest.approx(float(revenue), abs=1e-6)
    by_channel = [float(e.get_attribute("data-value"))
                  for e in page.query_selector_all('#web_channels [data-metric="sessions"]')]
    assert len(by_channel) >= 3 and sum(by_channel) == sessions
    assert problems == []
    page.close()
