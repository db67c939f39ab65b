"""Exposure: for every advisory of an OSV feed, the completed downloads of the versions it affects that happened
before the advisory was known, i.e. before its `published` time (`modified` when it has none; every download
when it has neither). Who (extra.user), from where (remote_addr), when and from the cache or the upstream.

It reads the whole table, not only the report's range: an advisory published today names downloads of months
ago. The scan is limited to the advisories' packages and to downloads before the latest of their known times.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import reduce

import pyarrow as pa
from pyiceberg.expressions import And, BooleanExpression, EqualTo, In, LessThan
from pyiceberg.table import Table

from registry_lake.duckdb_engine import over_arrow
from registry_lake.lake_sql import SEMANTICS, SqlEngine, sql_text, utc
from registry_lake.report.osv import Advisory, is_affected, package_key


@dataclass(frozen=True)
class ExposedDownload:
    advisory: str
    at: datetime
    registry: str
    package: str
    version: str
    filename: str
    user: str
    remote_addr: str
    source: str  # cache | upstream


@dataclass(frozen=True)
class AdvisoryExposure:
    advisory: str
    summary: str
    known_at: datetime | None
    packages: tuple[str, ...]  # "registry:package" it names
    downloads: int
    users: int
    addresses: int


@dataclass(frozen=True)
class Exposure:
    feed: str
    advisories: list[AdvisoryExposure]  # every advisory of the feed, zeros included
    downloads: list[ExposedDownload]  # by advisory, then time


def exposure_scan_filter(advisories: list[Advisory]) -> BooleanExpression:
    """Downloads of the advisories' packages, before the latest time one of them became known."""
    names = {a.package for advisory in advisories for a in advisory.affected}
    parts: list[BooleanExpression] = [EqualTo("action", "download"), In("package", names or {""})]
    known = [a.known_at for a in advisories]
    if known and None not in known:
        parts.append(LessThan("timestamp", max(known).isoformat()))  # type: ignore[type-var]
    return reduce(And, parts)


def scan_exposure(table: Table, advisories: list[Advisory]) -> pa.Table:
    return table.scan(row_filter=exposure_scan_filter(advisories)).to_arrow()


def _exposed(advisory: Advisory, row: dict[str, object]) -> bool:
    at = utc(row["timestamp"])
    if advisory.known_at is not None and at >= advisory.known_at:
        return False
    registry, version = str(row["registry"]), str(row["version"])
    package = package_key(registry, str(row["package"]))
    return any(a.registry == registry and a.package == package and is_affected(a, version) for a in advisory.affected)


def exposure_of(history: pa.Table, advisories: list[Advisory], feed: str) -> Exposure:
    """The exposure of every advisory over the events of `history` (Arrow rows, as the report scans them)."""
    return exposure_from(over_arrow(history), advisories, feed)


def exposure_from(engine: SqlEngine, advisories: list[Advisory], feed: str) -> Exposure:
    """The exposure over the engine's `package_events`: the lake's SQL, then OSV's matching."""
    engine.execute(sql_text(SEMANTICS))
    rows = engine.rows(sql_text("exposure_downloads"))
    downloads: list[ExposedDownload] = []
    summaries: list[AdvisoryExposure] = []
    for advisory in advisories:
        mine = [
            ExposedDownload(advisory.id, utc(r["timestamp"]), str(r["registry"]), str(r["package"]),
                            str(r["version"]), str(r["filename"] or ""), str(r["claimed_user"]),
                            str(r["remote_addr"] or ""), str(r["source"] or ""))
            for r in rows
            if _exposed(advisory, r)
        ]
        downloads += mine
        packages = tuple(dict.fromkeys(f"{a.registry}:{a.package}" for a in advisory.affected))
        summaries.append(
            AdvisoryExposure(advisory.id, advisory.summary, advisory.known_at, packages, len(mine),
                             len({d.user for d in mine}), len({d.remote_addr for d in mine}))
        )
    return Exposure(feed, summaries, downloads)
