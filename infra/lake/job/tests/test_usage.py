"""The console's usage snapshot (`registry_lake.usage`): downloads per version over the last 30 days and how the
pull-through ones were served, by the `audit_facts` rules, over Arrow rows (DuckDB, as the report) and over a
real local Iceberg table read by pyiceberg, through the command (no services)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pyiceberg.catalog.sql import SqlCatalog

from registry_lake.usage import build_usage, usage_of_events, usage_window
from tests.lake_run import JOB_DIR
from tests.workload import ARROW_SCHEMA, arrow_table, event

REPO_ROOT = JOB_DIR.parents[2]
NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
GENERATED = datetime(2026, 11, 30, 12, 5, tzinfo=UTC)
T = NOW - timedelta(days=2)


def download(package: str, version: str | None = "1.0.0", *, source: str = "cache", at: datetime = T,
             status: int = 200, size: int = 100, **extra: str) -> dict[str, object]:
    registry = "npm" if package.startswith("npm-") else "pypi"
    kind = f"{registry}.package.download" + (".upstream" if source == "upstream" else "")
    made = event(kind, at, package=package, status=status, source=source, size=size, extra=extra)
    return {**made, "version": version}


def snapshot(*events: dict[str, object]) -> dict[str, object]:
    return usage_of_events(arrow_table(list(events)), *usage_window(NOW), GENERATED)


def row(registry: str, package: str, version: str | None, counts: tuple[int, int, int, int]) -> dict[str, object]:
    """A version's row; `counts` are its downloads, cache, upstream and private downloads."""
    downloads, cache, upstream, private = counts
    return {"registry": registry, "package": package, "version": version, "downloads": downloads, "cache": cache,
            "upstream": upstream, "private": private}


def test_downloads_per_version_split_by_cache_and_upstream() -> None:
    s = snapshot(
        download("npm-a", "1.0.0"), download("npm-a", "1.0.0"), download("npm-a", "1.0.0", source="upstream"),
        download("npm-a", "2.0.0", source="upstream"),
        download("six", "1.16.0"), download("six", None),  # a file whose version the proxy could not tell
    )
    assert s["versions"] == [
        row("npm", "npm-a", "1.0.0", (3, 2, 1, 0)),
        row("npm", "npm-a", "2.0.0", (1, 0, 1, 0)),
        row("pypi", "six", "1.16.0", (1, 1, 0, 0)),
        row("pypi", "six", None, (1, 1, 0, 0)),
    ]
    assert s["registries"] == [
        {"registry": "npm", "downloads": 4, "cache": 2, "upstream": 2, "private": 0},
        {"registry": "pypi", "downloads": 2, "cache": 2, "upstream": 0, "private": 0},
    ]


def test_only_completed_downloads_count_and_private_ones_are_neither_cache_nor_upstream() -> None:
    s = snapshot(
        download("npm-a"), download("npm-a", size=0, method="HEAD"), download("npm-a", status=206, size=10),
        download("npm-a", status=404, size=0), download("npm-a", status=302, size=100, delivery="redirect"),
        download("npm-mine", origin="private"),
        event("npm.package.metadata", T, package="npm-a", status=200),
    )
    assert s["versions"] == [row("npm", "npm-a", "1.0.0", (2, 2, 0, 0)), row("npm", "npm-mine", "1.0.0", (1, 0, 0, 1))]
    assert s["registries"][0] == {"registry": "npm", "downloads": 3, "cache": 2, "upstream": 0, "private": 1}


def test_the_snapshot_names_its_window_and_every_registry_even_without_downloads() -> None:
    s = snapshot()
    assert (s["generated_at"], s["window_days"], s["from"], s["to"]) == (
        "2026-11-30T12:05:00Z", 30, "2026-10-31T12:00:00Z", "2026-11-30T12:00:00Z",
    )
    assert s["registries"] == [
        {"registry": name, "downloads": 0, "cache": 0, "upstream": 0, "private": 0} for name in ("npm", "pypi")
    ]
    assert s["versions"] == []


def _local_lake(tmp_path: Path) -> SqlCatalog:
    """A real Iceberg table in a SQLite catalog: downloads inside the window, one just before it, one at its end."""
    catalog = SqlCatalog("lake", uri=f"sqlite:///{tmp_path}/catalog.db", warehouse=(tmp_path / "wh").as_uri())
    catalog.create_namespace("audit")
    table = catalog.create_table("audit.package_events", schema=ARROW_SCHEMA)
    start, end = usage_window(NOW)
    table.append(arrow_table([
        download("npm-a", at=start), download("npm-a", at=end - timedelta(seconds=1), source="upstream"),
        download("npm-a", at=start - timedelta(seconds=1)), download("npm-a", at=end),
        download("requests", "2.32.0"),
    ]))
    return catalog


def test_the_scan_reads_the_last_30_days_only(tmp_path: Path) -> None:
    table = _local_lake(tmp_path).load_table("audit.package_events")
    s = build_usage(table, NOW, GENERATED)
    assert s["versions"] == [
        row("npm", "npm-a", "1.0.0", (2, 1, 1, 0)),  # the window's first instant and its last second
        row("pypi", "requests", "2.32.0", (1, 1, 0, 0)),
    ]


def test_the_command_writes_the_snapshot_as_json(tmp_path: Path) -> None:
    _local_lake(tmp_path)
    env = {
        "PATH": "/usr/bin:/bin", "LAKE_CATALOG_TYPE": "jdbc", "LAKE_CATALOG_URI": f"jdbc:sqlite:{tmp_path}/catalog.db",
        "LAKE_WAREHOUSE": (tmp_path / "wh").as_uri(),
    }
    out = tmp_path / "out" / "usage.json"
    done = subprocess.run(
        [sys.executable, "-m", "registry_lake.usage", "--now", NOW.isoformat(), "--out", str(out)],
        cwd=JOB_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert "downloads npm 2, pypi 1" in done.stdout
    written = json.loads(out.read_text(encoding="utf-8"))
    assert (written["window_days"], written["to"]) == (30, "2026-11-30T12:00:00Z")
    assert [r["package"] for r in written["versions"]] == ["npm-a", "requests"]
    assert not list(out.parent.glob(".*.tmp"))


def test_the_command_says_the_lake_is_missing(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin", "LAKE_CATALOG_TYPE": "jdbc", "LAKE_CATALOG_URI": f"jdbc:sqlite:{tmp_path}/catalog.db",
        "LAKE_WAREHOUSE": (tmp_path / "wh").as_uri(),
    }
    out = tmp_path / "usage.json"
    done = subprocess.run(
        [sys.executable, "-m", "registry_lake.usage", "--out", str(out)],
        cwd=JOB_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 3 and "run the lake job first" in done.stderr
    assert not out.exists()


def test_usage_sh_puts_the_snapshot_into_the_registry_store_with_the_store_code(tmp_path: Path) -> None:
    """Both steps of tools/lake/usage.sh: the lake's snapshot, then put-usage-snapshot.ts (Node, the proxies' own
    store code and settings) stores it; what Node reads back from that store is checked by npm-proxy's
    usage-snapshot specs."""
    _local_lake(tmp_path)
    env = {
        "PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path)),
        "REGISTRY_SERVICES_DIR": str(tmp_path / "no-services"),
        "LAKE_CATALOG_TYPE": "jdbc", "LAKE_CATALOG_URI": f"jdbc:sqlite:{tmp_path}/catalog.db",
        "LAKE_WAREHOUSE": (tmp_path / "wh").as_uri(),
        "STORAGE_DRIVER": "fs", "DATA_DIR": str(tmp_path / "store"),
    }
    done = subprocess.run(
        ["bash", str(REPO_ROOT / "tools/lake/usage.sh"), "--now", NOW.isoformat()],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "downloads npm 2, pypi 1" in done.stdout
    assert "stored at lake/usage-30d.json (directory " in done.stdout
