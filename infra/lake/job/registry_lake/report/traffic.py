"""Bucket widths for the traffic charts: the hourly query's rows summed into buckets a range can show."""

from __future__ import annotations

from datetime import datetime, timedelta

from registry_lake.report.queries import Report

HOUR, SIX_HOURS, DAY = timedelta(hours=1), timedelta(hours=6), timedelta(days=1)
BUCKET_LABELS = {HOUR: "hour", SIX_HOURS: "6 hours", DAY: "day"}


def bucket_width(start: datetime, end: datetime) -> timedelta:
    """Hours up to two days, 6-hour buckets up to about a week (28 bars), days beyond."""
    span = end - start
    return HOUR if span <= 2 * DAY else SIX_HOURS if span <= 8 * DAY else DAY


def traffic_buckets(report: Report, bucket: timedelta) -> dict[tuple[datetime, str], dict[str, int]]:
    """{(bucket start, registry): {"downloads": n, "bytes": n}} from the hourly rows, aligned to the range start."""
    out: dict[tuple[datetime, str], dict[str, int]] = {}
    for h in report.hourly_traffic:
        at = report.start + bucket * ((h.hour - report.start) // bucket)
        values = out.setdefault((at, h.registry), {"downloads": 0, "bytes": 0})
        values["downloads"] += h.downloads
        values["bytes"] += h.bytes
    return out


def refusal_buckets(report: Report, bucket: timedelta) -> dict[tuple[datetime, str, str, str, str], int]:
    """{(bucket start, registry, policy, package, advisory): refusals}, in time order, like traffic_buckets."""
    out: dict[tuple[datetime, str, str, str, str], int] = {}
    for p in report.policy_refusals:
        at = report.start + bucket * ((p.hour - report.start) // bucket)
        key = (at, p.registry, p.policy, p.package, p.advisory)
        out[key] = out.get(key, 0) + p.refusals
    return dict(sorted(out.items()))
