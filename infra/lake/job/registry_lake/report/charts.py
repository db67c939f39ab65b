"""The report's charts (plotly): units on every axis, whole-number ticks for counts, percentages for shares,
one colour per registry in every chart, and the report's whole range on every time axis."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime, timedelta

import plotly.graph_objects as go

from registry_lake.report.queries import Report
from registry_lake.report.traffic import BUCKET_LABELS, bucket_width, traffic_buckets
from registry_lake.report.units import byte_axis_unit, integer_step

REGISTRY_COLOURS = {"npm": "#c0392b", "pypi": "#2f6fa7"}
OTHER_COLOURS = ("#7f8c8d", "#8e44ad", "#16a085")
ACTION_COLOURS = {"login": "#8e5ea2", "upload": "#e08e0b"}
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
BAR_HEIGHT_PX = 26


def registry_colour(registry: str, registries: list[str]) -> str:
    if registry in REGISTRY_COLOURS:
        return REGISTRY_COLOURS[registry]
    others = [r for r in registries if r not in REGISTRY_COLOURS]
    return OTHER_COLOURS[others.index(registry) % len(OTHER_COLOURS)] if registry in others else OTHER_COLOURS[0]


def figure(title: str, height: int = 300) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 15}},
        height=height,
        margin={"l": 10, "r": 20, "t": 44, "b": 10},
        font={"family": FONT, "size": 12, "color": "#2c3e50"},
        paper_bgcolor="white",
        plot_bgcolor="white",
        showlegend=False,
        bargap=0.25,
    )
    fig.update_xaxes(showline=True, linecolor="#bdc3c7", gridcolor="#ecf0f1", automargin=True)
    fig.update_yaxes(showline=True, linecolor="#bdc3c7", gridcolor="#ecf0f1", automargin=True)
    return fig


def empty(fig: go.Figure, message: str) -> go.Figure:
    fig.add_annotation(text=message, showarrow=False, xref="paper", yref="paper", x=0.5, y=0.5, font={"size": 14})
    fig.update_xaxes(showticklabels=False, showgrid=False)
    fig.update_yaxes(showticklabels=False, showgrid=False)
    return fig


def count_axis(largest: int, title: str) -> dict[str, object]:
    step = integer_step(largest)
    return {"title": title, "tick0": 0, "dtick": step, "tickformat": ",d", "rangemode": "tozero",
            "range": [0, max(step, largest) * 1.08]}


def cache_hit_chart(report: Report) -> go.Figure:
    """The headline share: per registry, % of pull-through downloads served from the cache."""
    title = "Cache hit ratio (% of pull-through downloads served from the cache)"
    fig = figure(title, 90 + 48 * len(report.registries))
    names = [r.registry for r in report.registries]
    ratios = [r.cache_hit_ratio for r in report.registries]
    fig.add_bar(
        orientation="h",
        y=names,
        x=[None if v is None else 100 * v for v in ratios],
        marker_color=[registry_colour(n, names) for n in names],
        text=[f"{100 * v:.1f}%" if v is not None else "no pull-through downloads" for v in ratios],
        textposition="outside",
        cliponaxis=False,
        hovertemplate="%{y}: %{x:.1f}%<extra></extra>",
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%", dtick=20, title="% of pull-through downloads")
    fig.update_yaxes(autorange="reversed")
    return fig


def time_axis(fig: go.Figure, report: Report, bucket: timedelta) -> None:
    """The report's whole range on the x axis, ticks by day (or every 6 hours for hourly buckets)."""
    day = bucket >= timedelta(hours=6)
    fig.update_xaxes(
        type="date", range=[report.start, report.end], title="UTC", tickangle=0,
        dtick=86_400_000 if day else 6 * 3_600_000, tickformat="%a %-d" if day else "%H:%M\n%a %-d",
    )


def _traffic(
    report: Report, measure: str, unit: str, divisor: int, axis: Callable[[float], dict[str, object]]
) -> go.Figure:
    """Stacked bars per registry over the report's whole range; `axis` makes the y axis from its largest bar."""
    bucket = bucket_width(report.start, report.end)
    label = BUCKET_LABELS[bucket]
    fig = figure(f"{measure.capitalize()} per {label}" + (f" ({unit})" if unit else ""))
    buckets = traffic_buckets(report, bucket)
    names = sorted({registry for _, registry in buckets})
    for registry in names:
        starts = sorted(at for at, r in buckets if r == registry)
        fig.add_bar(
            name=registry,
            x=[at + bucket / 2 for at in starts],  # centred on its bucket
            y=[buckets[(at, registry)][measure] / divisor for at in starts],
            width=bucket.total_seconds() * 1000 * 0.85,
            marker_color=registry_colour(registry, names),
            hovertemplate=f"{registry}, {label} from %{{customdata}}: %{{y:,}} {unit or measure}<extra></extra>",
            customdata=[f"{at:%a %d %b %H:%M}" for at in starts],
        )
    per_bucket: dict[datetime, float] = {}
    for (at, _registry), values in buckets.items():
        per_bucket[at] = per_bucket.get(at, 0) + values[measure]
    fig.update_layout(barmode="stack")
    time_axis(fig, report, bucket)
    fig.update_yaxes(**axis(max(per_bucket.values(), default=0) / divisor))
    if not buckets:
        fig.add_annotation(text="No downloads in this range", showarrow=False, xref="paper", yref="paper", x=0.5,
                           y=0.5, font={"size": 14})
    return fig


def downloads_chart(report: Report) -> go.Figure:
    label = BUCKET_LABELS[bucket_width(report.start, report.end)]
    return _traffic(report, "downloads", "", 1, lambda top: count_axis(int(top), f"downloads per {label}"))


def bytes_chart(report: Report) -> go.Figure:
    bucket = bucket_width(report.start, report.end)
    largest = max((v["bytes"] for v in traffic_buckets(report, bucket).values()), default=0)
    unit, divisor = byte_axis_unit(largest)
    axis = {"title": f"{unit} per {BUCKET_LABELS[bucket]}", "rangemode": "tozero", "tickformat": ",.3~f",
            "ticksuffix": f" {unit}"}
    return _traffic(report, "bytes", unit, divisor, lambda _largest: axis)


def top_packages_chart(report: Report) -> go.Figure:
    top = report.top_packages
    fig = figure("Most downloaded packages", 90 + BAR_HEIGHT_PX * max(len(top), 3))
    names = [r.registry for r in report.registries]
    fig.add_bar(
        orientation="h",
        y=[f"{html.escape(t.package)} ({t.registry})" for t in top],
        x=[t.downloads for t in top],
        marker_color=[registry_colour(t.registry, names) for t in top],
        hovertemplate="%{y}: %{x:,d} downloads<extra></extra>",
    )
    fig.update_xaxes(**count_axis(max((t.downloads for t in top), default=0), "downloads"))
    fig.update_yaxes(autorange="reversed")
    return empty(fig, "No downloads in this range") if not top else fig


def failures_chart(report: Report) -> go.Figure:
    failures = report.failures_by_user
    users = list(dict.fromkeys(f.user for f in failures))
    fig = figure("Failed logins and uploads by claimed user", 90 + BAR_HEIGHT_PX * max(len(users), 3))
    for action in ("login", "upload"):
        rows = [f for f in failures if f.action == action]
        fig.add_bar(
            name=f"failed {action}s",
            orientation="h",
            y=[html.escape(f.user) for f in rows],
            x=[f.failures for f in rows],
            marker_color=ACTION_COLOURS[action],
            hovertemplate=f"%{{y}}: %{{x:,d}} failed {action}s<extra></extra>",
        )
    per_user = {u: sum(f.failures for f in failures if f.user == u) for u in users}
    fig.update_layout(
        barmode="stack",
        showlegend=True,
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 1, "xanchor": "right", "traceorder": "normal"},
    )
    fig.update_xaxes(**count_axis(max(per_user.values(), default=0), "failures"))
    fig.update_yaxes(autorange="reversed", categoryorder="array", categoryarray=[html.escape(u) for u in users])
    return empty(fig, "No failed logins or uploads in this range") if not failures else fig


def all_charts(report: Report) -> list[tuple[str, go.Figure]]:
    """(css id, figure) in page order."""
    return [
        ("cache-hit-ratio", cache_hit_chart(report)),
        ("downloads-over-time", downloads_chart(report)),
        ("bytes-over-time", bytes_chart(report)),
        ("top-packages", top_packages_chart(report)),
        ("failures", failures_chart(report)),
    ]
