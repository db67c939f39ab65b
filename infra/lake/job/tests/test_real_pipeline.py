"""The lake fed by the real pipeline.

tools/lake/produce-workload.ts starts the real audit gateway, npm-proxy and pypi-proxy (fixture upstreams on
127.0.0.1), makes known HTTP requests (first downloads fetched upstream, repeats served from the cache, bad
logins, refused uploads), re-delivers three events through the gateway with their event_id, produces two
malformed messages and prints a manifest. The real Spark job (availableNow) then lands the topic in Iceberg on
the real S3 server and pyiceberg reads it back. The queries are checked against the manifest and against
numbers written out by hand, so a bug in the manifest cannot hide one in the lake.
"""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from registry_lake.config import load_catalog_settings, load_s3_settings
from registry_lake.iceberg_reader import open_table
from registry_lake.report.queries import (
    CacheShare,
    FailuresByUser,
    HourlyTraffic,
    Report,
    TopPackage,
    build_report,
    week_of,
)
from tests.lake_run import JOB_DIR, run_stream_job

pytestmark = pytest.mark.services
REPO_ROOT = JOB_DIR.parents[2]
WORKLOAD_COMMAND = ("npx", "--no-install", "tsx", "--tsconfig", "tsconfig.base.json", "tools/lake/produce-workload.ts")
# npm: 3 packuments + 8 tarball downloads + 1 HEAD + 1 missing tarball + the web-login probe + 5 logins + 1 refused
# publish + the private package's publish, packument and 2 downloads; PyPI: 2 pages + 6 file downloads + uv's HEAD
# and range read + 3 uploads (wrong password, refused, accepted) + the private package's page and 2 downloads.
UNIQUE_EVENTS = 40
PRIVATE_WHEEL_BYTES = 736


@dataclass
class PipelineRun:
    env: dict[str, str]
    manifest: dict
    rows: list[dict]
    dead_letters: list[dict]
    metrics_file: Path
    report: Report


def produce_real_workload(env: dict[str, str], topic: str) -> dict:
    """Runs the Node workload script; its stdout is the manifest (progress and errors are on stderr)."""
    done = subprocess.run(
        [*WORKLOAD_COMMAND, "--topic", topic],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, f"produce-workload.ts exited {done.returncode}:\n{done.stderr[-4000:]}"
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def pipeline(services_env: dict[str, str], run_id: str, tmp_path_factory: pytest.TempPathFactory) -> PipelineRun:
    if not services_env.get("LAKE_JARS_DIR"):
        pytest.fail("LAKE_JARS_DIR not set: run the tests through tools/scripts/test-python.sh", False)
    name = f"{run_id}-pipeline"
    tmp = tmp_path_factory.mktemp("pipeline")
    env = {
        **services_env,
        "KAFKA_AUDIT_TOPIC": name,
        "LAKE_CATALOG_TYPE": "jdbc",
        "LAKE_CATALOG_URI": f"jdbc:sqlite:{tmp}/catalog.db",
        "LAKE_WAREHOUSE": f"s3://audit-data/test-runs/{name}/warehouse",
        "LAKE_CHECKPOINT_LOCATION": f"s3://audit-data/test-runs/{name}/checkpoint",
        "LAKE_METRICS_FILE": str(tmp / "metrics.json"),
    }
    manifest = produce_real_workload(env, name)
    _output, seconds = run_stream_job(env)
    print(f"\n[lake] real pipeline: workload {manifest['seconds']:.1f} s, stream job {seconds:.1f} s")
    catalog, s3 = load_catalog_settings(env), load_s3_settings(env)
    events = open_table(catalog, s3)
    # The report's week is the one the events were recorded in (wall clock): take it from the manifest.
    start, end = week_of(datetime.fromisoformat(manifest["hourly_traffic"][0]["hour"]))
    return PipelineRun(
        env,
        manifest,
        events.scan().to_arrow().to_pylist(),
        open_table(catalog, s3, catalog.dead_letter_table).scan().to_arrow().to_pylist(),
        tmp / "metrics.json",
        build_report(events, start, end),
    )


def test_every_request_lands_once_and_redeliveries_are_dropped(pipeline: PipelineRun) -> None:
    ids = [dict(r["extra"])["event_id"] for r in pipeline.rows]
    assert len(pipeline.manifest["event_ids"]) == UNIQUE_EVENTS
    assert pipeline.manifest["messages"] == UNIQUE_EVENTS + 3 + 2  # + re-deliveries + malformed
    assert sorted(ids) == sorted(pipeline.manifest["event_ids"])
    for duplicate in pipeline.manifest["duplicate_event_ids"]:
        assert ids.count(duplicate) == 1
    counters = json.loads(pipeline.metrics_file.read_text())
    assert (counters["events_appended"], counters["dead_letters"]) == (UNIQUE_EVENTS, 2)


def test_the_week_before_is_empty(pipeline: PipelineRun) -> None:
    start, end = week_of(pipeline.report.start - timedelta(days=1))
    catalog, s3 = load_catalog_settings(pipeline.env), load_s3_settings(pipeline.env)
    before = build_report(open_table(catalog, s3), start, end)
    assert before.is_empty and before.totals.downloads == 0 and before.top_packages == []


def test_malformed_messages_are_dead_letters(pipeline: PipelineRun) -> None:
    errors = sorted(r["error"] for r in pipeline.dead_letters)
    assert errors == ["missing required field: timestamp", "unparseable JSON"]
    assert {r["kafka_topic"] for r in pipeline.dead_letters} == {pipeline.env["KAFKA_AUDIT_TOPIC"]}


def test_top_packages_count_real_downloads(pipeline: PipelineRun) -> None:
    # Tarball and wheel sizes are fixed by the fixtures: npm 3023/6023/1023/523 bytes, PyPI 746/716/736 bytes.
    # The HEADs count nothing; uv's range read of requests counts its 64 bytes, not a download.
    expected = [
        TopPackage("npm", "lodash", 5, 15115),
        TopPackage("npm", "@corp/internal", 2, 1046),
        TopPackage("npm", "react", 2, 12046),
        TopPackage("npm", "@scope/pkg", 1, 1023),
        TopPackage("pypi", "requests", 4, 2984 + 64),
        TopPackage("pypi", "numpy", 2, 1432),
        TopPackage("pypi", "private-pkg", 2, 2 * PRIVATE_WHEEL_BYTES),
    ]
    assert pipeline.report.top_packages == expected
    from_manifest = [TopPackage(**t) for t in pipeline.manifest["top_packages"]]
    assert sorted(pipeline.report.top_packages, key=repr) == sorted(from_manifest, key=repr)


def test_cache_hits_and_upstream_fetches(pipeline: PipelineRun) -> None:
    # HEADs are not downloads, and the private packages' downloads are not the cache's.
    assert pipeline.report.cache_shares == [
        CacheShare("npm", "cache", 5, 5 / 8),
        CacheShare("npm", "upstream", 3, 3 / 8),
        CacheShare("pypi", "cache", 4, 4 / 6),
        CacheShare("pypi", "upstream", 2, 2 / 6),
    ]
    from_manifest = [(c["registry"], c["source"], c["downloads"]) for c in pipeline.manifest["cache_shares"]]
    assert [(c.registry, c.source, c.downloads) for c in pipeline.report.cache_shares] == from_manifest


def test_hourly_traffic(pipeline: PipelineRun) -> None:
    from_manifest = [
        HourlyTraffic(datetime.fromisoformat(h["hour"]), h["registry"], h["downloads"], h["bytes"])
        for h in pipeline.manifest["hourly_traffic"]
    ]
    assert pipeline.report.hourly_traffic == from_manifest
    totals: dict[str, tuple[int, int]] = {}
    for h in pipeline.report.hourly_traffic:  # the hours depend on the wall clock, the totals do not
        count, size = totals.get(h.registry, (0, 0))
        totals[h.registry] = (count + h.downloads, size + h.bytes)
    assert totals == {"npm": (10, 28184 + 1046), "pypi": (8, 4416 + 64 + 2 * PRIVATE_WHEEL_BYTES)}


def test_failed_logins_and_uploads_by_user(pipeline: PipelineRun) -> None:
    # npm's web-login probe (404) is no failure; twine's wrong password is carol's (the user it claimed).
    assert pipeline.report.failures_by_user == [
        FailuresByUser("alice", "login", 2),
        FailuresByUser("carol", "upload", 2),
        FailuresByUser("bob", "login", 1),
        FailuresByUser("bob", "upload", 1),
    ]
    from_manifest = [FailuresByUser(**f) for f in pipeline.manifest["failures_by_user"]]
    assert sorted(pipeline.report.failures_by_user, key=repr) == sorted(from_manifest, key=repr)
