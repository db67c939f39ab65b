"""Exposure (README, "The report"): OSV's version matching (semver for npm, PEP 440 for PyPI, as the firewall
matches), the feed's shapes, and the exposure of a scripted workload, over Arrow rows and over a real local
Iceberg table read by pyiceberg (no services)."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pyiceberg.catalog.sql import SqlCatalog

from registry_lake.report.exposure import AdvisoryExposure, ExposedDownload
from registry_lake.report.osv import Affected, FeedError, is_affected, load_feed
from registry_lake.report.queries import build_report, report_of_events, week_of
from tests.firewall_workload import exposure_events, firewall_events, write_feed
from tests.lake_run import JOB_DIR
from tests.workload import ARROW_SCHEMA, PREVIOUS_WEEK, arrow_table, build_workload

DAY = datetime(2026, 11, 24, tzinfo=UTC)


def _range(kind: str, *events: tuple[str, str], registry: str = "npm") -> Affected:
    return Affected(registry, "p", (), ((kind, events),))


def test_npm_ranges_follow_semver() -> None:
    below_fix = _range("SEMVER", ("introduced", "0"), ("fixed", "4.17.21"))
    assert [is_affected(below_fix, v) for v in ("4.17.20", "4.9.0", "4.17.21-rc.1", "4.17.21", "5.0.0")] == [
        True, True, True, False, False,
    ]
    window = _range("ECOSYSTEM", ("introduced", "1.2.0"), ("last_affected", "1.3.0"), ("introduced", "2.0.0"))
    assert [is_affected(window, v) for v in ("1.1.9", "1.2.0", "1.3.0", "1.3.1", "2.5.0", "not-a-version")] == [
        False, True, True, False, True, False,
    ]
    assert is_affected(Affected("npm", "p", ("0.0.1-x",), ()), "0.0.1-x")


def test_pypi_ranges_follow_pep_440() -> None:
    r = _range("ECOSYSTEM", ("fixed", "1.10"), ("introduced", "1.0"), registry="pypi")  # events in any order
    assert [is_affected(r, v) for v in ("0.9", "1.0", "1.2", "1.9.post1", "1.10rc1", "1.10", "1.10.0", "2!0.1")] == [
        False, True, True, True, True, False, False, False,
    ]
    assert not is_affected(_range("GIT", ("introduced", "0"), registry="pypi"), "1.0")


def test_the_feed_reads_every_shape_and_leaves_out_withdrawn_and_other_ecosystems(tmp_path: Path) -> None:
    feed = load_feed(write_feed(tmp_path / "feed"))
    assert [(a.id, a.known_at) for a in feed] == [
        ("GHSA-aaaa-bbbb-cccc", datetime(2026, 11, 24, 12, tzinfo=UTC)),
        ("GHSA-git-only", datetime(2026, 11, 25, tzinfo=UTC)),
        ("MAL-2026-7", datetime(2026, 11, 24, 9, tzinfo=UTC)),  # published, not modified
        ("MAL-2026-9", None),
        ("PYSEC-2026-1", datetime(2026, 11, 24, 12, tzinfo=UTC)),  # modified, for want of published
    ]
    assert [a.package for a in feed[-1].affected] == ["django-thing", "old-lib"]  # PEP 503 names
    assert [a.id for a in load_feed(tmp_path / "feed" / "mal.json")] == ["MAL-2026-7"]
    with pytest.raises(FeedError, match="does not exist"):
        load_feed(tmp_path / "missing")
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    with pytest.raises(FeedError, match="is not JSON"):
        load_feed(tmp_path / "bad.json")


def _download(*fields: str | int) -> ExposedDownload:
    advisory, hour, minute, registry, package, version, user, address, source = (str(f) for f in fields)
    filename = f"{package}-{version}.tgz"
    at = DAY.replace(hour=int(hour), minute=int(minute))
    return ExposedDownload(advisory, at, registry, package, version, filename, user, address, source)


EXPECTED_DOWNLOADS = [
    _download("GHSA-aaaa-bbbb-cccc", 10, 0, "npm", "minimist", "4.17.20", "dave", "10.0.0.8", "cache"),
    _download("GHSA-aaaa-bbbb-cccc", 10, 10, "npm", "minimist", "4.17.21-rc.1", "dave", "10.0.0.8", "upstream"),
    _download("GHSA-aaaa-bbbb-cccc", 10, 15, "npm", "minimist", "4.9.0", "erin", "10.0.0.9", "cache"),
    _download("MAL-2026-7", 8, 10, "npm", "evil-pkg", "1.0.1", "alice", "10.0.0.5", "upstream"),
    _download("MAL-2026-7", 8, 40, "npm", "evil-pkg", "1.0.1", "bob", "10.0.0.6", "cache"),
    _download("MAL-2026-9", 11, 0, "npm", "nodate", "0.1.0", "erin", "10.0.0.9", "upstream"),
    _download("PYSEC-2026-1", 10, 30, "pypi", "django-thing", "1.2", "alice", "10.0.0.5", "upstream"),
    _download("PYSEC-2026-1", 10, 32, "pypi", "django-thing", "1.10rc1", "bob", "10.0.0.6", "cache"),
    _download("PYSEC-2026-1", 10, 40, "pypi", "old-lib", "2.1", "carol", "10.0.0.7", "cache"),
]
EXPECTED_ADVISORIES = [
    ("GHSA-aaaa-bbbb-cccc", ("npm:minimist",), 3, 2, 2),
    ("GHSA-git-only", ("npm:minimist",), 0, 0, 0),
    ("MAL-2026-7", ("npm:evil-pkg",), 2, 2, 2),
    ("MAL-2026-9", ("npm:nodate",), 1, 1, 1),
    ("PYSEC-2026-1", ("pypi:django-thing", "pypi:old-lib"), 3, 3, 3),
]


def _summary(advisories: list[AdvisoryExposure]) -> list[tuple[object, ...]]:
    return [(a.advisory, a.packages, a.downloads, a.users, a.addresses) for a in advisories]


def test_the_exposure_of_a_scripted_workload_is_exact(tmp_path: Path) -> None:
    feed = ("feed", load_feed(write_feed(tmp_path / "feed")))
    events = arrow_table(build_workload().events + firewall_events() + exposure_events())
    report = report_of_events(events, *week_of(DAY), feed=feed)
    assert report.exposure is not None
    assert report.exposure.downloads == EXPECTED_DOWNLOADS
    assert _summary(report.exposure.advisories) == EXPECTED_ADVISORIES
    assert report_of_events(events, *week_of(DAY)).exposure is None  # no feed, no exposure
    empty = report_of_events(arrow_table([]), *week_of(DAY), feed=feed).exposure
    assert empty is not None and empty.downloads == [] and [a.downloads for a in empty.advisories] == [0] * 5


def _local_lake(tmp_path: Path) -> SqlCatalog:
    """A real Iceberg table in a SQLite catalog (what the job's jdbc catalog writes), with the workload, the
    exposure's downloads, and one of them again the week before."""
    catalog = SqlCatalog("lake", uri=f"sqlite:///{tmp_path}/catalog.db", warehouse=(tmp_path / "wh").as_uri())
    catalog.create_namespace("audit")
    table = catalog.create_table("audit.package_events", schema=ARROW_SCHEMA)
    last_week = [{**e, "timestamp": PREVIOUS_WEEK.strftime("%Y-%m-%dT%H:%M:%S.000Z")} for e in exposure_events()[:1]]
    table.append(arrow_table(build_workload().events + exposure_events() + last_week))
    return catalog


def test_pyiceberg_reads_the_exposure_from_the_whole_table(tmp_path: Path) -> None:
    """The exposure is not limited to the report's range: last week's downloads are in it."""
    table = _local_lake(tmp_path).load_table("audit.package_events")
    feed = ("feed", load_feed(write_feed(tmp_path / "feed")))
    report = build_report(table, *week_of(DAY), feed=feed)
    assert report.exposure is not None
    earlier = _download("MAL-2026-7", 9, 30, "npm", "evil-pkg", "1.0.1", "alice", "10.0.0.5", "upstream")
    earlier = ExposedDownload(**{**earlier.__dict__, "at": PREVIOUS_WEEK})
    assert [d for d in report.exposure.downloads if d.advisory == "MAL-2026-7"] == [earlier, *EXPECTED_DOWNLOADS[3:5]]
    assert report.totals.downloads == 24 + len(exposure_events())  # the range itself leaves last week out


def test_the_command_prints_the_exposure_and_nothing_on_stderr(tmp_path: Path) -> None:
    _local_lake(tmp_path)
    env = {
        "PATH": "/usr/bin:/bin", "LAKE_CATALOG_TYPE": "jdbc", "LAKE_CATALOG_URI": f"jdbc:sqlite:{tmp_path}/catalog.db",
        "LAKE_WAREHOUSE": (tmp_path / "wh").as_uri(), "REGISTRY_ADVISORY_FEED": write_feed(tmp_path / "feed").as_uri(),
    }
    page = tmp_path / "report.html"
    done = subprocess.run(
        [sys.executable, "-m", "registry_lake.report", "--now", DAY.isoformat(), "--html", str(page)],
        cwd=JOB_DIR, env=env, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr  # quiet: no warning on a normal run
    assert "exposed downloads      10" in done.stdout  # the nine of the day and last week's
    assert "MAL-2026-7           2026-11-17 09:30:00  npm" in done.stdout
    assert 'id="exposure"' in page.read_text(encoding="utf-8")
