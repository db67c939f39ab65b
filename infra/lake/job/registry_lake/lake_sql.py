"""The lake's queries as SQL text (infra/lake/sql), run unchanged by DuckDB and by Spark SQL.

`audit_facts.sql` turns the event semantics (README, "Audit events") into columns; every query reads that
view, so a rule is written once. An engine only has to provide `package_events` (the rows to report on).
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Protocol

SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
SEMANTICS = "audit_facts"
QUERIES = (
    "totals", "registry_summary", "top_packages", "cache_shares", "hourly_traffic", "failures_by_user",
    "policy_refusals",
)
# The console's usage snapshot (registry_lake.usage): per version and per registry, by the same rules.
USAGE_QUERIES = ("usage_by_version", "usage_by_registry")

Row = dict[str, object]


class SqlEngine(Protocol):
    """Runs a statement, or a query returning rows as dicts keyed by column name."""

    def execute(self, sql: str) -> None: ...

    def rows(self, sql: str) -> list[Row]: ...


@cache
def sql_text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def run_queries(engine: SqlEngine, names: tuple[str, ...] = QUERIES) -> dict[str, list[Row]]:
    """The lake's queries (default: the report's) over the engine's `package_events`, by name."""
    engine.execute(sql_text(SEMANTICS))
    return {name: engine.rows(sql_text(name)) for name in names}


def utc(value: object) -> datetime:
    """A timestamp from any engine as an aware UTC datetime (Spark gives naive session-time values)."""
    if not isinstance(value, datetime):
        raise TypeError(f"expected a timestamp, got {value!r}")
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def timestamp_literal(at: datetime) -> str:
    """An ISO 8601 UTC literal both engines read as an instant: TIMESTAMP '2026-11-23 00:00:00+00:00'."""
    return f"TIMESTAMP '{utc(at).isoformat(sep=' ')}'"


def range_view(source: str, start: datetime, end: datetime) -> str:
    """`package_events` as the rows of `source` (a table name or a table function) in [start, end)."""
    return (
        f"CREATE OR REPLACE TEMPORARY VIEW package_events AS SELECT * FROM {source} "
        f"WHERE timestamp >= {timestamp_literal(start)} AND timestamp < {timestamp_literal(end)}"
    )
