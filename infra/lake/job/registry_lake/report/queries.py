"""The seed's queries over audit.package_events, computed with pyarrow on a pyiceberg scan.

The report covers one ISO week (Monday 00:00 UTC to the next Monday): "this week" for `now`.
A download counts when the client got it: action download and a 2xx status. A failure is a status >= 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pyarrow.compute as pc
from pyiceberg.expressions import And, GreaterThanOrEqual, LessThan
from pyiceberg.table import Table


@dataclass(frozen=True)
class TopPackage:
    registry: str
    package: str
    downloads: int
    bytes: int


@dataclass(frozen=True)
class CacheShare:
    registry: str
    source: str
    downloads: int
    share: float  # of the registry's downloads


@dataclass(frozen=True)
class HourlyTraffic:
    hour: datetime
    registry: str
    downloads: int
    bytes: int


@dataclass(frozen=True)
class FailuresByUser:
    user: str
    action: str
    failures: int


@dataclass(frozen=True)
class Report:
    week_start: datetime
    week_end: datetime
    top_packages: list[TopPackage]
    cache_shares: list[CacheShare]
    hourly_traffic: list[HourlyTraffic]
    failures_by_user: list[FailuresByUser]


def week_of(now: datetime) -> tuple[datetime, datetime]:
    """[Monday 00:00 UTC, next Monday) of the ISO week that contains `now`."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=7)


def scan_week(table: Table, start: datetime, end: datetime) -> pa.Table:
    """Only the week's rows: the filter prunes by the days(timestamp) partition."""
    row_filter = And(GreaterThanOrEqual("timestamp", start.isoformat()), LessThan("timestamp", end.isoformat()))
    return table.scan(row_filter=row_filter).to_arrow()


def _downloads(events: pa.Table) -> pa.Table:
    ok = pc.and_(pc.greater_equal(events["status_code"], 200), pc.less(events["status_code"], 300))
    return events.filter(pc.and_(pc.equal(events["action"], "download"), ok))


def top_packages(events: pa.Table, limit: int = 10) -> list[TopPackage]:
    grouped = _downloads(events).group_by(["registry", "package"]).aggregate([("action", "count"), ("size", "sum")])
    rows = [
        TopPackage(r["registry"], r["package"] or "-", r["action_count"], r["size_sum"] or 0)
        for r in grouped.to_pylist()
    ]
    rows.sort(key=lambda t: (t.registry, -t.downloads, t.package))
    per_registry: dict[str, list[TopPackage]] = {}
    for row in rows:
        per_registry.setdefault(row.registry, []).append(row)
    return [row for registry in sorted(per_registry) for row in per_registry[registry][:limit]]


def cache_shares(events: pa.Table) -> list[CacheShare]:
    downloads = _downloads(events)
    source = pc.fill_null(downloads["source"], "unknown")
    grouped = (
        pa.table({"registry": downloads["registry"], "source": source})
        .group_by(["registry", "source"])
        .aggregate([("source", "count")])
        .to_pylist()
    )
    totals: dict[str, int] = {}
    for row in grouped:
        totals[row["registry"]] = totals.get(row["registry"], 0) + row["source_count"]
    shares = [
        CacheShare(r["registry"], r["source"], r["source_count"], r["source_count"] / totals[r["registry"]])
        for r in grouped
    ]
    return sorted(shares, key=lambda s: (s.registry, s.source))


def cache_hit_ratio(shares: list[CacheShare], registry: str) -> float:
    """Share of a registry's downloads served from the cache (0.0 when it had none)."""
    return sum(s.share for s in shares if s.registry == registry and s.source == "cache")


def hourly_traffic(events: pa.Table) -> list[HourlyTraffic]:
    downloads = _downloads(events)
    hours = pc.floor_temporal(downloads["timestamp"], unit="hour")
    grouped = (
        pa.table({"hour": hours, "registry": downloads["registry"], "size": downloads["size"]})
        .group_by(["hour", "registry"])
        .aggregate([("registry", "count"), ("size", "sum")])
    )
    rows = [
        HourlyTraffic(r["hour"].astimezone(UTC), r["registry"], r["registry_count"], r["size_sum"] or 0)
        for r in grouped.to_pylist()
    ]
    return sorted(rows, key=lambda h: (h.hour, h.registry))


def failures_by_user(events: pa.Table) -> list[FailuresByUser]:
    """Failed logins and uploads (status >= 400) per user, from extra.user ("(anonymous)" when absent)."""
    failing = pc.and_(
        pc.is_in(events["action"], pa.array(["login", "upload"])), pc.greater_equal(events["status_code"], 400)
    )
    failed = events.filter(failing)
    user = pc.fill_null(pc.map_lookup(failed["extra"], "user", "first"), "(anonymous)")
    grouped = (
        pa.table({"user": user, "action": failed["action"]})
        .group_by(["user", "action"])
        .aggregate([("action", "count")])
        .to_pylist()
    )
    rows = [FailuresByUser(r["user"], r["action"], r["action_count"]) for r in grouped]
    return sorted(rows, key=lambda f: (-f.failures, f.user, f.action))


def build_report(table: Table, now: datetime, top_limit: int = 10) -> Report:
    start, end = week_of(now)
    events = scan_week(table, start, end)
    return Report(
        week_start=start,
        week_end=end,
        top_packages=top_packages(events, top_limit),
        cache_shares=cache_shares(events),
        hourly_traffic=hourly_traffic(events),
        failures_by_user=failures_by_user(events),
    )
