"""The report's renderers: the terminal text, the page's tables, escaping, the empty state and a missing table
(no services)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from registry_lake.report.html import render_html
from registry_lake.report.osv import load_feed
from registry_lake.report.queries import report_of_events, week_of
from registry_lake.report.terminal import format_table, render_terminal
from tests.firewall_workload import exposure_events, firewall_events, write_feed
from tests.html_tables import read_tables
from tests.lake_run import JOB_DIR
from tests.workload import EMPTY_WEEK_NOW, arrow_table, event

T = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
GENERATED = datetime(2026, 11, 25, 8, 15, tzinfo=UTC)


def test_renderers_show_the_same_numbers_in_the_same_units_and_escape_names() -> None:
    events = [
        event("npm.package.download.upstream", T, package="<b>x</b>", status=200, source="upstream", size=2048),
        event("npm.user.login", T, package=None, status=401, extra={"user": "<i>mallory</i>"}),
    ]
    report = report_of_events(arrow_table(events), *week_of(T), GENERATED)
    text = render_terminal(report)
    assert "<b>x</b>" in text and "2.0 KiB" in text and "0.0%" in text
    assert "2026-11-23 00:00 UTC to 2026-11-30 00:00 UTC (generated 2026-11-25 08:15 UTC)" in text
    page = render_html(report)
    assert "<b>x</b>" not in page and "<i>mallory</i>" not in page and "&lt;b&gt;x&lt;/b&gt;" in page
    tables = read_tables(page)
    assert tables["top-packages"] == [["npm", "<b>x</b>", "1", "2.0 KiB"]]
    assert tables["failures-by-user"] == [["<i>mallory</i>", "login", "1"]]
    assert tables["hourly-traffic"] == [["2026-11-24 09:00", "npm", "1", "2.0 KiB"]]
    assert tables["hit-ratio"] == [
        ["npm", "1", "2.0 KiB", "0.0%", "0", "1", "0"],
        ["pypi", "0", "0 B", "n/a", "0", "0", "0"],
    ]
    assert "generated 2026-11-25 08:15 UTC" in page and "2026-11-23 00:00 UTC to 2026-11-30 00:00 UTC" in page


def test_policy_refusals_read_the_same_in_the_terminal_and_the_page() -> None:
    report = report_of_events(arrow_table(firewall_events()), *week_of(T), GENERATED)
    text = render_terminal(report)
    assert "Policy refusals by policy and package, per 6 hours" in text
    assert re.search(r"\npolicy refusals +4 *\n", text) and re.search(r"\nwaivers \(let through\) +1 *\n", text)
    rows = [
        ["2026-11-24 06:00", "advisory", "npm", "evil-pkg", "MAL-2026-7", "2"],
        ["2026-11-24 06:00", "cooldown", "npm", "fresh", "-", "1"],
        ["2026-11-24 06:00", "takedown", "pypi", "gone", "-", "1"],
    ]
    for row in rows:
        assert re.search(r"\n" + r" +".join(map(re.escape, row)) + r" *\n", text), row
    page = render_html(report)
    assert read_tables(page)["policy-refusals"] == rows
    assert page.count('class="plotly-graph-div"') == 8


def test_the_exposure_reads_the_same_in_the_terminal_and_the_page(tmp_path: Path) -> None:
    feed = (str(tmp_path / "feed"), load_feed(write_feed(tmp_path / "feed")))
    report = report_of_events(arrow_table(exposure_events()), *week_of(T), GENERATED, feed=feed)
    text = render_terminal(report)
    assert f"before each advisory was published (feed {tmp_path / 'feed'}, whole table)" in text
    assert re.search(r"\nexposed downloads +9 *\n", text)
    summary = ["MAL-2026-7", "2026-11-24 09:00 UTC", "npm:evil-pkg", "2", "2", "2"]
    download = ["MAL-2026-7", "2026-11-24 08:10:00", "npm", "evil-pkg", "1.0.1", "alice", "10.0.0.5", "upstream"]
    for row in (summary, download):
        assert re.search(r"\n" + r" +".join(map(re.escape, row)) + r" *\n", text), row
    tables = read_tables(render_html(report))
    assert summary in tables["exposure-advisories"] and len(tables["exposure-advisories"]) == 5
    assert ["MAL-2026-9", "(no date: every download)", "npm:nodate", "1", "1", "1"] in tables["exposure-advisories"]
    assert tables["exposure-downloads"][3] == download and len(tables["exposure-downloads"]) == 9


def test_without_a_feed_the_exposure_says_how_to_give_one() -> None:
    report = report_of_events(arrow_table(exposure_events()), *week_of(T), GENERATED)
    assert "no advisory feed given (--advisories or REGISTRY_ADVISORY_FEED)" in render_terminal(report)
    assert "n/a (no advisory feed)" in render_terminal(report)
    page = render_html(report)
    assert "no advisory feed given (--advisories or REGISTRY_ADVISORY_FEED)" in page
    assert "exposure-downloads" not in read_tables(page)


def test_an_unreadable_feed_gives_one_line(tmp_path: Path) -> None:
    for feed in (str(tmp_path / "missing"), "https://feed.invalid/osv.json"):
        done = subprocess.run(
            [sys.executable, "-m", "registry_lake.report", "--advisories", feed],
            cwd=JOB_DIR, env={"PATH": "/usr/bin:/bin", "LAKE_WAREHOUSE": (tmp_path / "wh").as_uri()},
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert done.returncode == 2 and done.stdout == "", done.stderr
        assert len(done.stderr.strip().splitlines()) == 1 and feed in done.stderr, done.stderr


def test_an_empty_week_renders_an_empty_state_with_zeros() -> None:
    report = report_of_events(arrow_table([]), *week_of(EMPTY_WEEK_NOW), GENERATED)
    text = render_terminal(report)
    assert "No audit events in this range." in text and "0 (no firewall events)" in text
    page = render_html(report)
    assert 'class="empty-state"' in page and "no firewall events" in page
    tables = read_tables(page)
    assert tables["hit-ratio"] == [
        ["npm", "0", "0 B", "n/a", "0", "0", "0"],
        ["pypi", "0", "0 B", "n/a", "0", "0", "0"],
    ]
    assert tables["top-packages"] == [["none in this range"]]
    assert tables["policy-refusals"] == [["none in this range"]]
    assert "Policy refusals by policy and package, per 6 hours" in text
    assert re.search(r"waivers \(let through\) +0", text)
    assert page.count('class="plotly-graph-div"') == 8


def test_format_table_says_none_for_no_rows() -> None:
    assert format_table("T", ["a"], []).endswith("(none)")


def test_a_lake_without_the_table_gives_one_line_saying_to_run_the_job(tmp_path: Path) -> None:
    for env in (
        {"LAKE_CATALOG_TYPE": "hadoop", "LAKE_WAREHOUSE": (tmp_path / "warehouse").as_uri()},
        {"LAKE_CATALOG_TYPE": "jdbc", "LAKE_CATALOG_URI": f"jdbc:sqlite:{tmp_path}/catalog.db"},
    ):
        done = subprocess.run(
            [sys.executable, "-m", "registry_lake.report"],
            cwd=JOB_DIR, env={"PATH": "/usr/bin:/bin", **env}, capture_output=True, text=True, timeout=120,
            check=False,
        )
        assert done.returncode == 3, done.stderr
        assert done.stdout == ""
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].endswith("run the lake job first (tools/lake/run-job.sh)"), done.stderr
