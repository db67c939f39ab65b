"""The report's figures: the lake's SQL (infra/lake/sql) run by DuckDB over a pyiceberg scan of the range.

The event semantics (what is a download, whose failure it is, what the cache hit ratio leaves out) live in
`audit_facts.sql`, shared with the DuckDB recipe and Spark SQL; this module turns rows into typed results.
A report covers [start, end); by default the ISO week (Monday 00:00 UTC to the next Monday) of `now`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import UTC, datetime, timedelta

import pyarrow as pa
from pyiceberg.expressions import And, GreaterThanOrEqual, LessThan
from pyiceberg.table import Table

from registry_lake.duckdb_engine import over_arrow
from registry_lake.lake_sql import Row, SqlEngine, run_queries, utc
from registry_lake.report.exposure import Exposure, exposure_of, scan_exposure
from registry_lake.report.osv import Advisory
from registry_lake.schema import REGISTRIES


@dataclass(frozen=True)
class Totals:
    events: int
    downloads: int
    bytes: int
    unique_users: int
    unique_addresses: int
    failed_logins: int
    failed_uploads: int
    policy_decisions: int  # 0 until a firewall records decisions (extra.policy)
    policy_refusals: int  # decisions answered >= 400 (403, 410), waivers excluded
    policy_waivers: int  # releases an exemption let through (extra.policy=waiver)


@dataclass(frozen=True)
class RegistrySummary:
    registry: str
    downloads: int
    bytes: int
    pull_through_downloads: int
    cache_hits: int
    private_downloads: int
    failed_logins: int
    failed_uploads: int

    @property
    def cache_hit_ratio(self) -> float | None:
        """Share of pull-through downloads served from the cache; None when there were none."""
        return self.cache_hits / self.pull_through_downloads if self.pull_through_downloads else None


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
    share: float  # of the registry's pull-through downloads


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
class PolicyRefusal:
    hour: datetime
    registry: str
    policy: str
    package: str
    advisory: str  # the OSV id, "" when the policy names none
    refusals: int


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    start: datetime
    end: datetime
    totals: Totals
    registries: list[RegistrySummary]  # every registry, zeros included
    top_packages: list[TopPackage]
    cache_shares: list[CacheShare]
    hourly_traffic: list[HourlyTraffic]
    failures_by_user: list[FailuresByUser]
    policy_refusals: list[PolicyRefusal]
    exposure: Exposure | None = None  # None when no advisory feed was given

    @property
    def is_empty(self) -> bool:
        return self.totals.events == 0


def week_of(now: datetime) -> tuple[datetime, datetime]:
    """[Monday 00:00 UTC, next Monday) of the ISO week that contains `now`."""
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    start = day - timedelta(days=day.weekday())
    return start, start + timedelta(days=7)


def scan_range(table: Table, start: datetime, end: datetime) -> pa.Table:
    """Only the range's rows: the filter prunes by the days(timestamp) partition."""
    row_filter = And(GreaterThanOrEqual("timestamp", start.isoformat()), LessThan("timestamp", end.isoformat()))
    return table.scan(row_filter=row_filter).to_arrow()


def _ints(row: Mapping[str, object], names: list[str]) -> dict[str, int]:
    return {n: int(row[n] or 0) for n in names}


def _registries(rows: list[Row]) -> list[RegistrySummary]:
    counts = [f.name for f in fields(RegistrySummary) if f.name != "registry"]
    found = {str(r["registry"]): RegistrySummary(str(r["registry"]), **_ints(r, counts)) for r in rows}
    zeros = dict.fromkeys(counts, 0)
    return [found.get(name) or RegistrySummary(name, **zeros) for name in sorted({*REGISTRIES, *found})]


def report_from(
    engine: SqlEngine, start: datetime, end: datetime, generated_at: datetime, top_limit: int = 10
) -> Report:
    """Runs every query on the engine's `package_events` and types the results."""
    r = run_queries(engine)
    [totals] = r["totals"]
    return Report(
        generated_at=generated_at,
        start=start,
        end=end,
        totals=Totals(**_ints(totals, [f.name for f in fields(Totals)])),
        registries=_registries(r["registry_summary"]),
        top_packages=[
            TopPackage(str(t["registry"]), str(t["package"]), int(t["downloads"]), int(t["bytes"] or 0))
            for t in r["top_packages"]
            if int(t["rank_in_registry"]) <= top_limit
        ],
        cache_shares=[
            CacheShare(str(c["registry"]), str(c["source"]), int(c["downloads"]), float(c["share"]))
            for c in r["cache_shares"]
        ],
        hourly_traffic=[
            HourlyTraffic(utc(h["hour"]), str(h["registry"]), int(h["downloads"]), int(h["bytes"] or 0))
            for h in r["hourly_traffic"]
        ],
        failures_by_user=[
            FailuresByUser(str(f["claimed_user"]), str(f["action"]), int(f["failures"]))
            for f in r["failures_by_user"]
        ],
        policy_refusals=[
            PolicyRefusal(utc(p["hour"]), str(p["registry"]), str(p["policy"]), str(p["package"]),
                          str(p["advisory"]), int(p["refusals"]))
            for p in r["policy_refusals"]
        ],
    )


def report_of_events(
    events: pa.Table,
    start: datetime,
    end: datetime,
    generated_at: datetime | None = None,
    top_limit: int = 10,
    *,
    feed: tuple[str, list[Advisory]] | None = None,
    history: pa.Table | None = None,
) -> Report:
    """The report of Arrow rows already limited to [start, end); with a feed (its name and advisories), the
    exposure over `history` (default: the same rows)."""
    report = report_from(over_arrow(events), start, end, generated_at or datetime.now(UTC), top_limit)
    if feed is None:
        return report
    name, advisories = feed
    return replace(report, exposure=exposure_of(events if history is None else history, advisories, name))


def build_report(
    table: Table,
    start: datetime,
    end: datetime,
    generated_at: datetime | None = None,
    top_limit: int = 10,
    *,
    feed: tuple[str, list[Advisory]] | None = None,
) -> Report:
    history = scan_exposure(table, feed[1]) if feed else None
    events = scan_range(table, start, end)
    return report_of_events(events, start, end, generated_at, top_limit, feed=feed, history=history)
