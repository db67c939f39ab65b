"""`python -m registry_lake.usage --out <file.json> [--now ISO]`: the usage snapshot the web console shows.

Downloads per version over the last 30 days, and how the pull-through ones were served (cache or upstream), per
registry and per package version: the lake's SQL (usage_by_version.sql, usage_by_registry.sql over the
`audit_facts` rules) run by DuckDB over a pyiceberg scan of the window, as the report runs it. The file is
JSON; tools/lake/usage.sh then puts it into the registry's object store with the store's own code
(tools/lake/put-usage-snapshot.ts), where the console reads it. Python never writes the store itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
from pyiceberg.table import Table

from registry_lake.duckdb_engine import over_arrow
from registry_lake.lake_sql import USAGE_QUERIES, Row, SqlEngine, run_queries, utc
from registry_lake.report.__main__ import _instant, open_lake_table
from registry_lake.report.queries import scan_range
from registry_lake.schema import REGISTRIES

WINDOW_DAYS = 30
COUNTS = ("downloads", "cache", "upstream", "private")


def usage_window(now: datetime, days: int = WINDOW_DAYS) -> tuple[datetime, datetime]:
    """[now - days, now): the last `days` days up to the instant the snapshot is made."""
    end = utc(now)
    return end - timedelta(days=days), end


def iso(at: datetime) -> str:
    """An instant as the console's times read it: ISO 8601 UTC with a Z."""
    return utc(at).isoformat(timespec="seconds").replace("+00:00", "Z")


def _counts(row: Row) -> dict[str, int]:
    return {name: int(row[name] or 0) for name in COUNTS}


def usage_from(engine: SqlEngine, start: datetime, end: datetime, generated_at: datetime) -> dict[str, object]:
    """The snapshot of the engine's `package_events` (already limited to [start, end)): every registry (zeros
    included), then one row per registry, package and version (version null when the event named none)."""
    rows = run_queries(engine, USAGE_QUERIES)
    found = {str(r["registry"]): _counts(r) for r in rows["usage_by_registry"]}
    zeros = dict.fromkeys(COUNTS, 0)
    return {
        "generated_at": iso(generated_at),
        "window_days": round((end - start) / timedelta(days=1)),
        "from": iso(start),
        "to": iso(end),
        "registries": [{"registry": name, **found.get(name, zeros)} for name in sorted({*REGISTRIES, *found})],
        "versions": [
            {"registry": str(r["registry"]), "package": str(r["package"]),
             "version": None if r["version"] is None else str(r["version"]), **_counts(r)}
            for r in rows["usage_by_version"]
        ],
    }


def usage_of_events(events: pa.Table, start: datetime, end: datetime, generated_at: datetime) -> dict[str, object]:
    """The snapshot of Arrow rows already limited to [start, end) (what a pyiceberg scan of the window returns)."""
    return usage_from(over_arrow(events), start, end, generated_at)


def build_usage(table: Table, now: datetime, generated_at: datetime | None = None) -> dict[str, object]:
    """The snapshot of the 30 days up to `now`; the scan reads only the window's days (the partitions)."""
    start, end = usage_window(now)
    return usage_of_events(scan_range(table, start, end), start, end, generated_at or now)


def write_snapshot(snapshot: dict[str, object], out: Path) -> None:
    """Written beside `out` then renamed: a reader never sees half a file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(json.dumps(snapshot, separators=(",", ":")), encoding="utf-8")
    tmp.replace(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="registry_lake.usage", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="write the JSON snapshot to this file")
    parser.add_argument("--now", type=_instant, help="the end of the 30-day window (default: now)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    generated_at = datetime.now(UTC)
    snapshot = build_usage(open_lake_table(), args.now or generated_at, generated_at)
    write_snapshot(snapshot, args.out)
    totals = ", ".join(f"{r['registry']} {r['downloads']}" for r in snapshot["registries"])  # type: ignore[attr-defined]
    print(f"usage snapshot ({WINDOW_DAYS} days to {snapshot['to']}): downloads {totals}; {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
