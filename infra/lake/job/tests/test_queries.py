"""The event semantics (README, "Audit events"), rule by rule, on synthetic events: the lake's SQL run by
DuckDB over Arrow rows, as the report runs it (no services)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from registry_lake.report.queries import (
    CacheShare,
    FailuresByUser,
    PolicyRefusal,
    Report,
    TopPackage,
    Totals,
    report_of_events,
    week_of,
)
from registry_lake.report.traffic import DAY, HOUR, SIX_HOURS, bucket_width
from registry_lake.report.units import byte_axis_unit, human_bytes, integer_step, percent
from tests.firewall_workload import firewall_events
from tests.workload import WEEK_DAY, arrow_table, event

T = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
WEEK = week_of(T)


def download(package: str = "six", *, status: int = 200, size: int = 100, source: str = "cache", **extra: str):
    registry = "npm" if package.startswith("npm-") else "pypi"
    kind = f"{registry}.package.download" + (".upstream" if source == "upstream" else "")
    return event(kind, T, package=package, status=status, source=source, size=size, extra=extra)


def report(*events: dict) -> Report:
    return report_of_events(arrow_table(list(events)), *WEEK)


def test_week_runs_from_monday_midnight_utc() -> None:
    assert week_of(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)) == (
        datetime(2026, 11, 23, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
    )
    assert week_of(datetime(2026, 11, 30, tzinfo=UTC))[0] == datetime(2026, 11, 30, tzinfo=UTC)


def test_a_head_is_not_a_download_and_sends_no_bytes() -> None:
    r = report(download(), download(size=0, method="HEAD"), download(size=0, method="head"))
    assert (r.totals.downloads, r.totals.bytes) == (1, 100)
    assert r.top_packages == [TopPackage("pypi", "six", 1, 100)]
    assert [(h.downloads, h.bytes) for h in r.hourly_traffic] == [(1, 100)]
    assert r.cache_shares == [CacheShare("pypi", "cache", 1, 1.0)]


def test_a_range_response_counts_its_bytes_but_is_not_a_download() -> None:
    r = report(download(status=206, size=64, range="bytes=-64"), download(status=206, size=2048), download(size=5000))
    assert (r.totals.downloads, r.totals.bytes) == (1, 5000 + 64 + 2048)
    assert r.top_packages == [TopPackage("pypi", "six", 1, 7112)]
    assert r.cache_shares == [CacheShare("pypi", "cache", 1, 1.0)]


def test_a_download_redirect_is_a_download_of_the_stored_size() -> None:
    r = report(download(status=302, size=5000, delivery="redirect"), download(status=302, size=0), download(size=100))
    assert (r.totals.downloads, r.totals.bytes) == (2, 5100)
    assert r.cache_shares == [CacheShare("pypi", "cache", 2, 1.0)]


def test_only_answered_downloads_count() -> None:
    r = report(download(), download(status=404, size=0), download(status=304, size=0), download(status=500))
    assert (r.totals.downloads, r.totals.bytes) == (1, 100)


def test_private_downloads_count_as_downloads_but_not_for_the_cache_hit_ratio() -> None:
    r = report(
        download("npm-a", source="cache"),
        download("npm-a", source="upstream"),
        download("npm-private", source="cache", origin="private"),
        download("npm-private", source="cache", origin="private"),
    )
    [npm, pypi] = r.registries
    assert (npm.downloads, npm.private_downloads, npm.pull_through_downloads, npm.cache_hits) == (4, 2, 2, 1)
    assert npm.cache_hit_ratio == 0.5
    assert r.cache_shares == [CacheShare("npm", "cache", 1, 0.5), CacheShare("npm", "upstream", 1, 0.5)]
    assert (pypi.downloads, pypi.cache_hit_ratio) == (0, None)  # a registry without events is there, with zeros
    assert [(t.package, t.downloads) for t in r.top_packages] == [("npm-a", 2), ("npm-private", 2)]


def test_failures_are_counted_by_the_claimed_user() -> None:
    r = report(
        event("npm.user.login", T, package=None, status=401, extra={"user": "eve"}),
        event("npm.user.login", T, package=None, status=200, extra={"user": "eve"}),
        event("pypi.package.upload", T, package="p", status=403, extra={"user": "mallory"}),
        event("npm.package.publish", T, package="p", status=500),
        event("npm.package.download", T, package="p", status=404, extra={"user": "eve"}),
    )
    assert r.failures_by_user == [
        FailuresByUser("(anonymous)", "upload", 1),
        FailuresByUser("eve", "login", 1),
        FailuresByUser("mallory", "upload", 1),
    ]
    assert (r.totals.failed_logins, r.totals.failed_uploads) == (1, 2)


def test_a_login_flow_the_registry_does_not_offer_is_not_a_failed_login() -> None:
    probe = event("npm.user.login", T, package=None, status=404, extra={"operation": "web-login"})
    assert report(probe).failures_by_user == []
    assert report(probe).totals.failed_logins == 0


def test_unique_users_are_those_who_succeeded_and_addresses_are_every_client() -> None:
    r = report(
        event("npm.user.login", T, package=None, status=200, extra={"user": "eve"}),
        event("npm.user.login", T, package=None, status=401, extra={"user": "mallory"}),
        {**download(user="eve"), "remote_addr": "10.0.0.9"},
    )
    assert (r.totals.unique_users, r.totals.unique_addresses) == (1, 2)


def test_policy_refusals_come_from_firewall_decisions() -> None:
    assert (report(download()).totals.policy_decisions, report(download()).totals.policy_refusals) == (0, 0)
    refused = download(status=403, size=0, policy="no-known-malware", advisory="MAL-2026-1")
    allowed = download(policy="no-known-malware")
    totals = report(refused, allowed).totals
    assert (totals.policy_decisions, totals.policy_refusals, totals.downloads) == (2, 1, 1)


def test_refusals_are_errors_with_a_policy_and_waivers_are_counted_apart() -> None:
    r = report(*firewall_events())
    assert (r.totals.policy_decisions, r.totals.policy_refusals, r.totals.policy_waivers) == (6, 4, 1)
    assert r.totals.downloads == 1  # the waived download is a download; refusals are not
    hour = WEEK_DAY + timedelta(hours=9)
    assert r.policy_refusals == [
        PolicyRefusal(hour, "npm", "advisory", "evil-pkg", "MAL-2026-7", 2),
        PolicyRefusal(hour + HOUR, "npm", "cooldown", "fresh", "", 1),
        PolicyRefusal(hour + 2 * HOUR, "pypi", "takedown", "gone", "", 1),
    ]


def test_a_waiver_answered_with_an_error_is_still_not_a_refusal() -> None:
    totals = report(download(status=404, size=0, policy="waiver")).totals
    assert (totals.policy_refusals, totals.policy_waivers) == (0, 1)


def test_an_empty_range_gives_zeros_for_every_registry() -> None:
    r = report()
    assert r.is_empty
    assert r.totals == Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert r.policy_refusals == []
    assert [(x.registry, x.downloads, x.bytes, x.cache_hit_ratio) for x in r.registries] == [
        ("npm", 0, 0, None),
        ("pypi", 0, 0, None),
    ]
    assert (r.top_packages, r.cache_shares, r.hourly_traffic, r.failures_by_user) == ([], [], [], [])


def test_top_packages_keeps_the_limit_per_registry_and_breaks_ties_by_name() -> None:
    events = [download(f"{prefix}{name}") for prefix in ("npm-", "") for name in "cba"]
    top = report_of_events(arrow_table(events), *WEEK, top_limit=2).top_packages
    assert [(t.registry, t.package) for t in top] == [("npm", "npm-a"), ("npm", "npm-b"), ("pypi", "a"), ("pypi", "b")]


def test_traffic_buckets_widen_with_the_range() -> None:
    assert bucket_width(T, T + timedelta(hours=1)) == HOUR
    assert bucket_width(T, T + 2 * DAY) == HOUR
    assert bucket_width(*WEEK) == SIX_HOURS
    assert bucket_width(T, T + 31 * DAY) == DAY


def test_units() -> None:
    assert [human_bytes(n) for n in (0, 1023, 1024, 5 * 1024**3)] == ["0 B", "1023 B", "1.0 KiB", "5.0 GiB"]
    assert [byte_axis_unit(n) for n in (0, 1023, 30000, 3 * 1024**2)] == [
        ("B", 1), ("B", 1), ("KiB", 1024), ("MiB", 1024**2)
    ]
    assert [integer_step(n) for n in (0, 1, 5, 6, 24, 60, 1000)] == [1, 1, 1, 2, 5, 20, 200]
    assert (percent(7 / 11), percent(None)) == ("63.6%", "n/a")
