"""HTML building blocks of the static report: page layout, inline CSS and sortable-table JS,
number formatting, tables and plotly charts (plotly.js inlined once per page).

Every value from the warehouse is escaped (html.escape); chart data goes through plotly's own
JSON encoder, which escapes `</script>`. Nothing is loaded from the network at view time.
"""
from __future__ import annotations

import html
from decimal import Decimal

import plotly.graph_objects as go

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1f2933;background:#f7f9fb}
header{background:#12344d;color:#fff;padding:12px 24px}
header h1{margin:0;font-size:20px}
header .meta{font-size:12px;opacity:.8}
nav{background:#1f4e6e;padding:6px 24px}
nav a{color:#dbe9f4;margin-right:16px;text-decoration:none;font-size:14px}
nav a.active{color:#fff;font-weight:600;text-decoration:underline}
main{padding:16px 24px;max-width:1400px}
h2{font-size:18px;margin-top:28px}
.kpis{display:flex;flex-wrap:wrap;gap:12px}
.kpi{background:#fff;border:1px solid #d9e2ec;border-radius:6px;padding:10px 14px;min-width:130px}
.kpi .label{font-size:12px;color:#52606d}
.kpi .value{font-size:20px;font-weight:600}
table{border-collapse:collapse;background:#fff;font-size:13px;margin:8px 0}
th,td{border:1px solid #d9e2ec;padding:4px 8px;text-align:right;white-space:nowrap}
th{background:#e4ecf3;cursor:pointer;user-select:none}
th.sorted-asc::after{content:" \\25B2"} th.sorted-desc::after{content:" \\25BC"}
td.text,th.text{text-align:left}
.sig{color:#0a7d38;font-weight:600} .nosig{color:#52606d} .insufficient{color:#b44d12;font-style:italic}
.note{font-size:13px;color:#52606d;max-width:900px}
.chart{background:#fff;border:1px solid #d9e2ec;border-radius:6px;margin:8px 0}
"""

# Sortable tables: click a header to sort by that column (numbers by data-value, else text).
SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, index) {
    th.addEventListener('click', function () {
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var asc = !th.classList.contains('sorted-asc');
      table.querySelectorAll('th').forEach(function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      function key(row) {
        var cell = row.cells[index];
        var raw = cell.getAttribute('data-value');
        var num = raw === null || raw === '' ? NaN : Number(raw);
        return isNaN(num) ? cell.textContent.trim().toLowerCase() : num;
      }
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        if (typeof x !== typeof y) { x = String(x); y = String(y); }
        return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
      });
      rows.forEach(function (row) { body.appendChild(row); });
    });
  });
});
"""

PAGES = [("index.html", "Overview"), ("trends.html", "Trends"), ("campaigns.html", "Campaigns"),
         ("ab_tests.html", "A/B tests"), ("direct_mail.html", "Direct-mail lift"),
         ("attribution.html", "Attribution"), ("web.html", "Web"), ("exports.html", "Exports"),
         ("data_quality.html", "Data quality")]

NOT_ENOUGH_DATA = "not enough data"


def esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def num(value) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, (Decimal, int, float)) else value


def fmt(value, kind: str = "int") -> str:
    """Display text: int (thousands separators), money (2 decimals), ratio (2 decimals),
    pct (rate as percent, 1 decimal), pvalue (4 significant digits), text."""
    if value is None:
        return "-"
    if kind == "text":
        return str(value)
    v = float(value)
    if kind == "int":
        return f"{v:,.0f}" if v == int(v) else f"{v:,.2f}"
    if kind == "money":
        return f"{v:,.2f}"
    if kind == "ratio":
        return f"{v:,.2f}"
    if kind == "pct":
        return f"{v * 100:.1f}%"
    if kind == "pctpt":
        return f"{v * 100:+.1f} pt"
    if kind == "pvalue":
        return f"{v:.4g}"
    return str(value)


def cell(value, kind: str = "int", metric: str | None = None, css: str | None = None, display: str | None = None) -> str:
    """A <td> whose data-value is the raw figure (sorting, tests) and whose text is formatted."""
    classes = [css] if css else []
    if kind == "text":
        classes.append("text")
    attrs = f' class="{" ".join(classes)}"' if classes else ""
    raw = num(value) if kind != "text" else value
    data = "" if raw is None else esc(repr(raw) if isinstance(raw, float) else raw)
    metric_attr = f' data-metric="{esc(metric)}"' if metric else ""
    text = esc(display if display is not None else fmt(value, kind))
    return f'<td{attrs}{metric_attr} data-value="{data}">{text}</td>'


def table(headers: list[tuple[str, str]], rows: list[list[str]], table_id: str | None = None) -> str:
    """headers: (label, kind); rows: lists of <td> strings (cell())."""
    tid = f' id="{esc(table_id)}"' if table_id else ""
    head = "".join(f'<th class="text">{esc(h)}</th>' if k == "text" else f"<th>{esc(h)}</th>" for h, k in headers)
    body = "".join("<tr>" + "".join(r) + "</tr>" for r in rows)
    if not rows:
        body = f'<tr><td class="text" colspan="{len(headers)}">no rows</td></tr>'
    return f'<table class="sortable"{tid}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def kpis(items: list[tuple[str, str, object, str]]) -> str:
    """items: (label, metric name, value, kind)."""
    parts = []
    for label, metric, value, kind in items:
        raw = num(value)
        parts.append(f'<div class="kpi"><div class="label">{esc(label)}</div>'
                     f'<div class="value" data-metric="{esc(metric)}" data-value="{esc("" if raw is None else repr(raw))}">'
                     f"{esc(fmt(value, kind))}</div></div>")
    return '<div class="kpis">' + "".join(parts) + "</div>"


class Page:
    """One HTML page; the first chart inlines plotly.js, later ones reuse it."""

    def __init__(self, filename: str, title: str, subtitle: str, depth: int = 0):
        self.filename, self.title, self.subtitle, self.depth = filename, title, subtitle, depth
        self.parts: list[str] = []
        self.plotly_included = False

    def add(self, fragment: str) -> None:
        self.parts.append(fragment)

    def h2(self, text: str) -> None:
        self.parts.append(f"<h2>{esc(text)}</h2>")

    def note(self, text: str) -> None:
        self.parts.append(f'<p class="note">{esc(text)}</p>')

    def chart(self, fig: go.Figure, height: int = 360) -> None:
        fig.update_layout(height=height, margin=dict(l=50, r=20, t=40, b=40), template="plotly_white")
        self.parts.append('<div class="chart">' + fig.to_html(
            full_html=False, include_plotlyjs=not self.plotly_included, include_mathjax=False,
            config={"displaylogo": False, "responsive": True}) + "</div>")
        self.plotly_included = True

    def render(self, active: str, generated: str) -> str:
        prefix = "../" * self.depth
        nav = "".join(f'<a href="{prefix}{f}"{" class=active" if f == active else ""}>{esc(t)}</a>' for f, t in PAGES)
        return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{esc(self.title)} - closedloop</title><style>{CSS}</style></head><body>"
                f"<header><h1>{esc(self.title)}</h1><div class=\"meta\">{esc(self.subtitle)} · {esc(generated)}</div></header>"
                f"<nav>{nav}</nav><main>{''.join(self.parts)}</main><script>{SORT_JS}</script></body></html>")
