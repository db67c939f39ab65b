"""The report as one self-contained HTML page: plotly charts with plotly.js inlined (no network needed)."""

from __future__ import annotations

import html

import plotly.graph_objects as go
from plotly.io import to_html
from plotly.subplots import make_subplots

from registry_lake.report.queries import Report, cache_hit_ratio
from registry_lake.report.terminal import human_bytes


def _table(headers: list[str], rows: list[list[object]], css_class: str) -> str:
    head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{css_class}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _top_packages_chart(report: Report) -> go.Figure:
    fig = go.Figure()
    for registry in sorted({t.registry for t in report.top_packages}):
        top = [t for t in report.top_packages if t.registry == registry]
        fig.add_bar(
            name=registry, x=[t.downloads for t in top], y=[f"{registry}: {t.package}" for t in top], orientation="h"
        )
    fig.update_layout(title="Most downloaded packages", xaxis_title="downloads", yaxis={"autorange": "reversed"})
    return fig


def _cache_chart(report: Report) -> go.Figure:
    fig = go.Figure()
    for source in sorted({s.source for s in report.cache_shares}):
        shares = [s for s in report.cache_shares if s.source == source]
        fig.add_bar(name=source, x=[s.registry for s in shares], y=[s.downloads for s in shares])
    fig.update_layout(title="Downloads by registry and source", barmode="stack", yaxis_title="downloads")
    return fig


def _hourly_chart(report: Report) -> go.Figure:
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, subplot_titles=("downloads per hour", "bytes per hour"))
    for registry in sorted({h.registry for h in report.hourly_traffic}):
        hours = [h for h in report.hourly_traffic if h.registry == registry]
        x = [h.hour for h in hours]
        fig.add_bar(name=f"{registry} downloads", x=x, y=[h.downloads for h in hours], row=1, col=1)
        fig.add_bar(name=f"{registry} bytes", x=x, y=[h.bytes for h in hours], row=2, col=1)
    fig.update_layout(title="Hourly download traffic (UTC)", barmode="stack")
    return fig


def _failures_chart(report: Report) -> go.Figure:
    fig = go.Figure()
    for action in sorted({f.action for f in report.failures_by_user}):
        rows = [f for f in report.failures_by_user if f.action == action]
        fig.add_bar(name=f"failed {action}", x=[f.user for f in rows], y=[f.failures for f in rows])
    fig.update_layout(title="Failed logins and uploads by user", barmode="group", yaxis_title="failures")
    return fig


def render_html(report: Report) -> str:
    registries = sorted({s.registry for s in report.cache_shares})
    charts = [_top_packages_chart(report), _cache_chart(report), _hourly_chart(report), _failures_chart(report)]
    # plotly.js is inlined once, in the first chart; the others reuse it.
    figures = [to_html(fig, full_html=False, include_plotlyjs=(i == 0)) for i, fig in enumerate(charts)]
    tables = [
        "<h2>Most downloaded packages</h2>"
        + _table(
            ["registry", "package", "downloads", "bytes"],
            [[t.registry, t.package, t.downloads, human_bytes(t.bytes)] for t in report.top_packages],
            "top-packages",
        ),
        "<h2>Cache hit ratio</h2>"
        + _table(
            ["registry", "source", "downloads", "share"],
            [[s.registry, s.source, s.downloads, f"{s.share:.1%}"] for s in report.cache_shares],
            "cache-shares",
        )
        + _table(
            ["registry", "cache hit ratio"],
            [[r, f"{cache_hit_ratio(report.cache_shares, r):.1%}"] for r in registries],
            "hit-ratio",
        ),
        "<h2>Hourly download traffic</h2>"
        + _table(
            ["hour (UTC)", "registry", "downloads", "bytes"],
            [[f"{h.hour:%Y-%m-%d %H:00}", h.registry, h.downloads, h.bytes] for h in report.hourly_traffic],
            "hourly-traffic",
        ),
        "<h2>Failed logins and uploads by user</h2>"
        + _table(
            ["user", "action", "failures"],
            [[f.user, f.action, f.failures] for f in report.failures_by_user],
            "failures-by-user",
        ),
    ]
    title = f"Registry audit report, week of {report.week_start:%Y-%m-%d}"
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse;margin:1em 0}"
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}"
    )
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{style}</style></head><body><h1>{html.escape(title)}</h1>"
        + "".join(figures)
        + "".join(tables)
        + "</body></html>\n"
    )
