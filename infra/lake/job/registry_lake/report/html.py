"""The report as one self-contained HTML page a lead reads in a minute: range and generation time, headline
figures, charts, then the tables behind them in the same units. plotly.js is inlined once (works offline)."""

from __future__ import annotations

import html
from importlib.resources import files

from plotly.io import to_html
from plotly.offline import get_plotlyjs

from registry_lake.report.charts import all_charts, registry_colour
from registry_lake.report.policy_charts import policy_charts
from registry_lake.report.queries import Report
from registry_lake.report.terminal import (
    EXPOSURE_DOWNLOAD_HEADERS,
    EXPOSURE_SUMMARY_HEADERS,
    EXPOSURE_TITLE,
    NO_FEED,
    exposed_downloads,
    exposure_download_rows,
    exposure_summary_rows,
    policy_refusals,
    refusal_rows,
)
from registry_lake.report.units import count, human_bytes, instant, percent

PLOTLY_CONFIG = {"displayModeBar": False, "responsive": True}


def _table(headers: list[str], rows: list[list[object]], css_class: str, numeric_from: int = 1) -> str:
    def cell(tag: str, i: int, value: object) -> str:
        align = ' class="num"' if i >= numeric_from else ""
        return f"<{tag}{align}>{html.escape(str(value))}</{tag}>"

    head = "".join(cell("th", i, h) for i, h in enumerate(headers))
    body = "".join("<tr>" + "".join(cell("td", i, c) for i, c in enumerate(row)) + "</tr>" for row in rows)
    if not rows:
        body = f'<tr class="none"><td colspan="{len(headers)}">none in this range</td></tr>'
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _card(label: str, value: str, note: str = "", css: str = "", swatch: str = "") -> str:
    mark = f'<span class="swatch" style="background:{swatch}"></span>' if swatch else ""
    note_html = f'<div class="note">{html.escape(note)}</div>' if note else ""
    return (
        f'<div class="card {css}"><div class="label">{mark}{html.escape(label)}</div>'
        f'<div class="value">{html.escape(value)}</div>{note_html}</div>'
    )


def _cards(report: Report) -> str:
    t = report.totals
    names = [r.registry for r in report.registries]
    ratios = [
        _card(
            f"{r.registry} cache hit ratio",
            percent(r.cache_hit_ratio),
            f"{count(r.cache_hits)} of {count(r.pull_through_downloads)} pull-through downloads",
            "ratio",
            registry_colour(r.registry, names),
        )
        for r in report.registries
    ]
    refusals = policy_refusals(report)
    return "".join(
        [
            _card("Downloads", count(t.downloads), "completed files; HEADs and ranges excluded"),
            _card("Bytes sent", human_bytes(t.bytes)),
            *ratios,
            _card("Unique users", count(t.unique_users)),
            _card("Unique addresses", count(t.unique_addresses)),
            _card("Failed logins", count(t.failed_logins), css="alert" if t.failed_logins else ""),
            _card("Failed uploads", count(t.failed_uploads), css="alert" if t.failed_uploads else ""),
            _card("Policy refusals", refusals.split(" ")[0],
                  "403/410 answers, waivers excluded" if t.policy_decisions else "no firewall events",
                  "policy alert" if t.policy_refusals else "policy"),
            _card("Waivers", count(t.policy_waivers), "releases an exemption let through", "policy"),
            _exposure_card(report),
        ]
    )


def _exposure_card(report: Report) -> str:
    e = report.exposure
    if e is None:
        return _card("Exposed downloads", "n/a", "no advisory feed given", "policy")
    note = f"of {count(len(e.advisories))} advisories, before they were published"
    return _card("Exposed downloads", exposed_downloads(report), note, "policy alert" if e.downloads else "policy")


def _exposure_tables(report: Report) -> str:
    if report.exposure is None:
        return f'<div class="wide"><h2>{html.escape(EXPOSURE_TITLE)}</h2><p class="none">{html.escape(NO_FEED)}</p>'
    return "".join(
        [
            f'<div class="wide"><h2>{html.escape(EXPOSURE_TITLE)}</h2>',
            _table(EXPOSURE_SUMMARY_HEADERS, exposure_summary_rows(report), "exposure-advisories", 3),
            "<h2>Exposed downloads</h2>",
            _table(EXPOSURE_DOWNLOAD_HEADERS, exposure_download_rows(report), "exposure-downloads", 8),
        ]
    )


def _tables(report: Report) -> str:
    hourly = [[f"{h.hour:%Y-%m-%d %H:00}", h.registry, count(h.downloads), human_bytes(h.bytes)]
              for h in report.hourly_traffic]
    bucket_label, refusals = refusal_rows(report)
    return "".join(
        [
            '<div class="wide"><h2>Registries</h2>',
            _table(
                ["registry", "downloads", "bytes sent", "cache hit ratio", "private downloads", "failed logins",
                 "failed uploads"],
                [[r.registry, count(r.downloads), human_bytes(r.bytes), percent(r.cache_hit_ratio),
                  count(r.private_downloads), count(r.failed_logins), count(r.failed_uploads)]
                 for r in report.registries],
                "hit-ratio",
            ),
            "</div><div><h2>Most downloaded packages</h2>",
            _table(["registry", "package", "downloads", "bytes sent"],
                   [[p.registry, p.package, count(p.downloads), human_bytes(p.bytes)] for p in report.top_packages],
                   "top-packages", 2),
            "</div><div><h2>Pull-through downloads by source</h2>",
            _table(["registry", "source", "downloads", "share"],
                   [[s.registry, s.source, count(s.downloads), percent(s.share)] for s in report.cache_shares],
                   "cache-shares", 2),
            "<h2>Failed logins and uploads by claimed user</h2>",
            _table(["user", "action", "failures"],
                   [[f.user, f.action, count(f.failures)] for f in report.failures_by_user], "failures-by-user", 2),
            f'</div><div class="wide"><h2>Policy refusals by policy and package, per {bucket_label}</h2>',
            _table([f"{bucket_label} from (UTC)", "policy", "registry", "package", "advisory", "refusals"],
                   refusals, "policy-refusals", 5),
            "</div>",
            _exposure_tables(report),
            f'</div><details class="wide"><summary>Hourly download traffic ({len(hourly)} rows)</summary>',
            _table(["hour (UTC)", "registry", "downloads", "bytes sent"], hourly, "hourly-traffic", 2),
            "</details>",
        ]
    )


def render_html(report: Report) -> str:
    title = f"Registry audit report, {report.start:%Y-%m-%d} to {report.end:%Y-%m-%d}"
    charts = "".join(
        f'<div class="chart" id="{css_id}">'
        + to_html(fig, full_html=False, include_plotlyjs=False, config=PLOTLY_CONFIG, div_id=f"{css_id}-plot")
        + "</div>"
        for css_id, fig in [*all_charts(report), *policy_charts(report)]
    )
    empty = (
        '<p class="empty-state">No audit events in this range: every figure below is zero.</p>'
        if report.is_empty
        else ""
    )
    style = files("registry_lake.report").joinpath("report.css").read_text(encoding="utf-8")
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{style}</style>'
        f'<script type="text/javascript">{get_plotlyjs()}</script></head><body>'
        f"<header><h1>Registry audit report</h1>"
        f'<p class="range">{html.escape(instant(report.start))} to {html.escape(instant(report.end))}'
        f' <span class="generated">· generated {html.escape(instant(report.generated_at))}</span></p></header>'
        f'{empty}<section class="cards">{_cards(report)}</section>'
        f'<section class="charts">{charts}</section>'
        f'<section class="tables">{_tables(report)}</section>'
        "</body></html>\n"
    )
