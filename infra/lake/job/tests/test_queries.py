"""The report's queries and renderers on small in-memory Arrow tables (edge cases; no services)."""

from __future__ import annotations

from datetime import UTC, datetime

import pyarrow as pa

from registry_lake.report.html import render_html
from registry_lake.report.queries import (
    CacheShare,
    FailuresByUser,
    Report,
    cache_shares,
    failures_by_user,
    hourly_traffic,
    top_packages,
    week_of,
)
from registry_lake.report.terminal import format_table, human_bytes, render_terminal
from tests.html_tables import read_tables

SCHEMA = pa.schema(
    [
        ("timestamp", pa.timestamp("us", tz="UTC")),
        ("registry", pa.string()),
        ("package", pa.string()),
        ("action", pa.string()),
        ("source", pa.string()),
        ("status_code", pa.int32()),
        ("size", pa.int64()),
        ("extra", pa.map_(pa.string(), pa.string())),
    ]
)


def events(*rows: tuple) -> pa.Table:
    return pa.Table.from_pylist([dict(zip(SCHEMA.names, r, strict=True)) for r in rows], schema=SCHEMA)


T = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)


def test_week_runs_from_monday_midnight_utc() -> None:
    assert week_of(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)) == (
        datetime(2026, 11, 23, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    assert week_of(datetime(2026, 11, 30, tzinfo=UTC))[0] == datetime(2026, 11, 30, tzinfo=UTC)


def test_only_successful_downloads_count() -> None:
    table = events(
        (T, "npm", "a", "download", "cache", 200, 10, [("event_id", "1")]),
        (T, "npm", "a", "download", None, 404, None, [("event_id", "2")]),
        (T, "npm", "a", "download", "cache", 304, 0, [("event_id", "3")]),
        (T, "npm", "a", "metadata", "cache", 200, 99, [("event_id", "4")]),
        (T, "npm", "b", "download", None, 200, None, [("event_id", "5")]),
    )
    assert [(t.package, t.downloads, t.bytes) for t in top_packages(table)] == [("a", 1, 10), ("b", 1, 0)]
    assert cache_shares(table) == [CacheShare("npm", "cache", 1, 0.5), CacheShare("npm", "unknown", 1, 0.5)]
    assert [(h.downloads, h.bytes) for h in hourly_traffic(table)] == [(2, 10)]


def test_top_packages_keeps_the_limit_per_registry_and_breaks_ties_by_name() -> None:
    table = events(*[(T, reg, pkg, "download", "cache", 200, 1, []) for reg in ("npm", "pypi") for pkg in "cba"])
    assert [(t.registry, t.package) for t in top_packages(table, limit=2)] == [
        ("npm", "a"),
        ("npm", "b"),
        ("pypi", "a"),
        ("pypi", "b"),
    ]


def test_failures_by_user_counts_failed_logins_and_uploads_only() -> None:
    table = events(
        (T, "npm", None, "login", None, 401, None, [("user", "eve")]),
        (T, "npm", None, "login", None, 200, None, [("user", "eve")]),
        (T, "npm", "p", "upload", None, 500, None, []),
        (T, "npm", "p", "download", None, 404, None, [("user", "eve")]),
    )
    assert failures_by_user(table) == [FailuresByUser("(anonymous)", "upload", 1), FailuresByUser("eve", "login", 1)]


def test_renderers_show_the_same_numbers_and_escape_names() -> None:
    table = events(
        (T, "npm", "<b>x</b>", "download", "upstream", 200, 2048, []),
        (T, "npm", None, "login", None, 401, None, [("user", "mallory")]),
    )
    report = Report(
        *week_of(T), top_packages(table), cache_shares(table), hourly_traffic(table), failures_by_user(table)
    )
    text = render_terminal(report)
    assert "<b>x</b>" in text and "2.0 KiB" in text and "0.0%" in text
    page = render_html(report)
    assert "<b>x</b>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    tables = read_tables(page)
    assert tables["top-packages"] == [["npm", "<b>x</b>", "1", "2.0 KiB"]]
    assert tables["failures-by-user"] == [["mallory", "login", "1"]]


def test_format_helpers() -> None:
    assert [human_bytes(n) for n in (0, 1023, 1024, 5 * 1024**3)] == ["0 B", "1023 B", "1.0 KiB", "5.0 GiB"]
    assert format_table("T", ["a"], []).endswith("(none)")
