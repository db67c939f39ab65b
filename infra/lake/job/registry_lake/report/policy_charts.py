"""The firewall's charts: refusals over the report's range (stacked by registry), by policy and package, and the
exposure by advisory, with the conventions of charts.py (one colour per registry, whole-number count axes)."""

from __future__ import annotations

import html

import plotly.graph_objects as go

from registry_lake.report.charts import BAR_HEIGHT_PX, count_axis, empty, figure, registry_colour, time_axis
from registry_lake.report.queries import Report
from registry_lake.report.traffic import BUCKET_LABELS, bucket_width, refusal_buckets


def refusals_over_time_chart(report: Report) -> go.Figure:
    bucket = bucket_width(report.start, report.end)
    label = BUCKET_LABELS[bucket]
    fig = figure(f"Policy refusals per {label}")
    buckets = refusal_buckets(report, bucket)
    names = [r.registry for r in report.registries]
    per_bar: dict[tuple[object, str], int] = {}
    detail: dict[tuple[object, str], list[str]] = {}
    for (at, registry, policy, package, _advisory), n in buckets.items():
        per_bar[(at, registry)] = per_bar.get((at, registry), 0) + n
        detail.setdefault((at, registry), []).append(f"{html.escape(package)} ({policy}): {n:,}")
    for registry in sorted({r for _, r in per_bar}):
        starts = sorted(at for at, r in per_bar if r == registry)
        fig.add_bar(
            name=registry,
            x=[at + bucket / 2 for at in starts],
            y=[per_bar[(at, registry)] for at in starts],
            width=bucket.total_seconds() * 1000 * 0.85,
            marker_color=registry_colour(registry, names),
            customdata=["<br>".join(detail[(at, registry)][:8]) for at in starts],
            hovertemplate=f"{registry}: %{{y:,d}} refusals<br>%{{customdata}}<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    time_axis(fig, report, bucket)
    per_bucket: dict[object, int] = {}
    for (at, _registry), n in per_bar.items():
        per_bucket[at] = per_bucket.get(at, 0) + n
    fig.update_yaxes(**count_axis(max(per_bucket.values(), default=0), f"refusals per {label}"))
    if not buckets:
        fig.add_annotation(text="No policy refusals in this range", showarrow=False, xref="paper", yref="paper",
                           x=0.5, y=0.5, font={"size": 14})
    return fig


def refusals_by_package_chart(report: Report) -> go.Figure:
    totals: dict[tuple[str, str, str], int] = {}
    for p in report.policy_refusals:
        key = (p.registry, p.package, p.policy)
        totals[key] = totals.get(key, 0) + p.refusals
    rows = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    fig = figure("Policy refusals by policy and package", 90 + BAR_HEIGHT_PX * max(len(rows), 3))
    names = [r.registry for r in report.registries]
    fig.add_bar(
        orientation="h",
        y=[f"{html.escape(package)} · {policy} ({registry})" for (registry, package, policy), _ in rows],
        x=[n for _, n in rows],
        marker_color=[registry_colour(registry, names) for (registry, _, _), _ in rows],
        hovertemplate="%{y}: %{x:,d} refusals<extra></extra>",
    )
    fig.update_xaxes(**count_axis(max((n for _, n in rows), default=0), "refusals"))
    fig.update_yaxes(autorange="reversed")
    return empty(fig, "No policy refusals in this range") if not rows else fig


def exposure_chart(report: Report) -> go.Figure:
    """Exposed downloads per advisory and package, one colour per registry."""
    totals: dict[tuple[str, str, str], int] = {}
    for d in report.exposure.downloads if report.exposure else []:
        key = (d.advisory, d.registry, d.package)
        totals[key] = totals.get(key, 0) + 1
    rows = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    fig = figure("Exposed downloads (before each advisory was published)", 90 + BAR_HEIGHT_PX * max(len(rows), 3))
    names = [r.registry for r in report.registries]
    fig.add_bar(
        orientation="h",
        y=[f"{html.escape(advisory)} · {html.escape(package)} ({registry})"
           for (advisory, registry, package), _ in rows],
        x=[n for _, n in rows],
        marker_color=[registry_colour(registry, names) for (_, registry, _), _ in rows],
        hovertemplate="%{y}: %{x:,d} downloads<extra></extra>",
    )
    fig.update_xaxes(**count_axis(max((n for _, n in rows), default=0), "downloads"))
    fig.update_yaxes(autorange="reversed")
    if report.exposure is None:
        return empty(fig, "No advisory feed given")
    return empty(fig, "No download of an affected version before its advisory") if not rows else fig


def policy_charts(report: Report) -> list[tuple[str, go.Figure]]:
    return [
        ("refusals-over-time", refusals_over_time_chart(report)),
        ("refusals-by-package", refusals_by_package_chart(report)),
        ("exposure", exposure_chart(report)),
    ]
