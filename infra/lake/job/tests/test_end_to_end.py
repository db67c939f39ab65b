"""End to end on the real services: a scripted workload (tests/workload.py: uv's HEADs and ranges, failed
logins, private and proxied packages, an empty week) goes to a topic of its own on the real Kafka broker, the
real Spark job (local[2], availableNow) lands it in Iceberg on the real S3 server, and the same queries give the
expected numbers in pyiceberg (the report), DuckDB (iceberg_scan) and Spark SQL. Runs once per catalog: Hadoop
and JDBC (SQLite).
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from pyiceberg.table import Table

from registry_lake import duckdb_engine
from registry_lake.config import CatalogSettings, S3Settings, load_catalog_settings, load_s3_settings
from registry_lake.duckdb_engine import SECRET_PLACEHOLDER, over_iceberg
from registry_lake.iceberg_reader import open_table
from registry_lake.lake_sql import sql_text
from registry_lake.report.exposure import exposure_of
from registry_lake.report.osv import load_feed
from registry_lake.report.queries import (
    CacheShare,
    FailuresByUser,
    HourlyTraffic,
    Report,
    TopPackage,
    Totals,
    build_report,
    report_from,
    week_of,
)
from registry_lake.schema import EVENT_FIELDS
from tests.firewall_workload import exposure_events, firewall_events, write_feed
from tests.html_tables import read_tables
from tests.kafka_helpers import create_topic, produce
from tests.lake_run import run_module, run_report, run_spark_sql_report, run_stream_job
from tests.workload import (
    EMPTY_WEEK_NOW,
    PREVIOUS_WEEK,
    REPORT_NOW,
    Workload,
    arrow_table,
    build_workload,
    event,
)

pytestmark = pytest.mark.services
# The workload's 46, and the week before it the firewall's decisions and the downloads of the exposure (6 + 15).
WORKLOAD_EVENTS = 46
UNIQUE_EVENTS = WORKLOAD_EVENTS + 6 + 15


@dataclass
class LakeRun:
    env: dict[str, str]
    catalog: CatalogSettings
    s3: S3Settings
    workload: Workload
    metrics_file: Path
    tmp: Path
    job_output: str

    def table(self, name: str | None = None) -> Table:
        return open_table(self.catalog, self.s3, name)


@pytest.fixture(scope="module", params=["hadoop", "jdbc"])
def lake(
    request: pytest.FixtureRequest, services_env: dict[str, str], run_id: str, tmp_path_factory: pytest.TempPathFactory
) -> LakeRun:
    kind: str = request.param
    name = f"{run_id}-{kind}"
    tmp = tmp_path_factory.mktemp(kind)
    if not services_env.get("LAKE_JARS_DIR"):
        pytest.fail("LAKE_JARS_DIR not set: run the tests through tools/scripts/test-python.sh", False)
    env = {
        **services_env,
        "KAFKA_AUDIT_TOPIC": name,
        "LAKE_CATALOG_TYPE": kind,
        "LAKE_WAREHOUSE": f"s3://audit-data/test-runs/{name}/warehouse",
        "LAKE_CHECKPOINT_LOCATION": f"s3://audit-data/test-runs/{name}/checkpoint",
        "LAKE_METRICS_FILE": str(tmp / "metrics.json"),
    }
    if kind == "jdbc":
        env["LAKE_CATALOG_URI"] = f"jdbc:sqlite:{tmp}/catalog.db"
    workload = build_workload()
    workload.events += firewall_events(days_earlier=7) + exposure_events(days_earlier=7)
    create_topic(env["KAFKA_BROKERS"], name)
    produce(env["KAFKA_BROKERS"], name, workload.messages())
    output, seconds = run_stream_job(env)
    print(f"\n[lake] {kind}: stream job drained {len(workload.messages())} messages in {seconds:.1f} s")
    catalog, s3 = load_catalog_settings(env), load_s3_settings(env)
    return LakeRun(env, catalog, s3, workload, tmp / "metrics.json", tmp, output)


def test_every_event_lands_once_with_its_timestamp(lake: LakeRun) -> None:
    rows = lake.table().scan().to_arrow().to_pylist()
    ids = [dict(r["extra"])["event_id"] for r in rows]
    assert len(rows) == UNIQUE_EVENTS
    assert sorted(ids) == sorted(e["extra"]["event_id"] for e in lake.workload.events)  # duplicates gone
    first = lake.workload.events[0]
    stored = next(r for r in rows if dict(r["extra"])["event_id"] == first["extra"]["event_id"])
    assert stored["timestamp"] == datetime(2026, 11, 24, 9, 0, 0, 123000, tzinfo=UTC)
    assert {k: stored[k] for k in ("event_type", "registry", "package", "source", "status_code", "size")} == {
        "event_type": "npm.package.download",
        "registry": "npm",
        "package": "lodash",
        "source": "cache",
        "status_code": 200,
        "size": 1000,
    }


def test_table_is_iceberg_v2_parquet_zstd_partitioned_in_the_object_store(lake: LakeRun) -> None:
    table = lake.table()
    assert table.format_version == 2
    assert [(f.name, f.required) for f in table.schema().fields] == [(f.name, f.required) for f in EVENT_FIELDS]
    assert [(f.name, str(f.transform)) for f in table.spec().fields] == [
        ("registry", "identity"),
        ("timestamp_day", "day"),
    ]
    assert table.properties["write.parquet.compression-codec"] == "zstd"
    files = [task.file for task in table.scan().plan_files()]
    assert files and all(f.file_path.startswith("s3://audit-data/test-runs/") for f in files)
    assert {f.file_format.name for f in files} == {"PARQUET"}
    with table.io.new_input(files[0].file_path).open() as stream:
        assert pq.ParquetFile(stream).metadata.row_group(0).column(0).compression == "ZSTD"


def test_malformed_messages_go_to_the_dead_letter_table_and_are_counted(lake: LakeRun) -> None:
    rows = lake.table(lake.catalog.dead_letter_table).scan().to_arrow().to_pylist()
    assert sorted(r["error"] for r in rows) == ["missing required field: timestamp", "unparseable JSON"]
    assert {r["kafka_topic"] for r in rows} == {lake.env["KAFKA_AUDIT_TOPIC"]}
    assert all(r["kafka_partition"] is not None and r["kafka_offset"] >= 0 for r in rows)
    assert any(r["raw_value"].startswith('{"timestamp": "2026-11-24T09:00:00.000Z", "event_type": ') for r in rows)
    counters = json.loads(lake.metrics_file.read_text())
    assert (counters["events_appended"], counters["dead_letters"]) == (UNIQUE_EVENTS, 2)


EXPECTED_TOP = [
    TopPackage("npm", "lodash", 6, 6000),  # + one HEAD: no download, no bytes
    TopPackage("npm", "react", 4, 8000),
    TopPackage("npm", "@corp/internal", 1, 300),  # private
    TopPackage("npm", "@scope/pkg", 1, 500),
    TopPackage("pypi", "requests", 5, 15000),
    TopPackage("pypi", "numpy", 3, 30000),
    TopPackage("pypi", "private-pkg", 2, 1400),  # private
    TopPackage("pypi", "six", 2, 2 * 5000 + 64 + 2048),  # uv: 2 HEADs and 2 ranges besides 2 whole files
]
EXPECTED_SHARES = [  # private packages left out
    CacheShare("npm", "cache", 7, 7 / 11),
    CacheShare("npm", "upstream", 4, 4 / 11),
    CacheShare("pypi", "cache", 6, 6 / 10),
    CacheShare("pypi", "upstream", 4, 4 / 10),
]
EXPECTED_HOURLY = [
    HourlyTraffic(datetime(2026, 11, 24, 9, tzinfo=UTC), "npm", 4, 4000),
    HourlyTraffic(datetime(2026, 11, 24, 9, tzinfo=UTC), "pypi", 4, 12000),
    HourlyTraffic(datetime(2026, 11, 24, 10, tzinfo=UTC), "npm", 4, 6000),
    HourlyTraffic(datetime(2026, 11, 24, 10, tzinfo=UTC), "pypi", 3, 3000 + 12112),
    HourlyTraffic(datetime(2026, 11, 24, 11, tzinfo=UTC), "npm", 4, 4800),
    HourlyTraffic(datetime(2026, 11, 24, 11, tzinfo=UTC), "pypi", 5, 31400),
]
EXPECTED_FAILURES = [  # npm's web-login probe (404) is not one; erin is the user twine claimed
    FailuresByUser("alice", "login", 2),
    FailuresByUser("bob", "login", 1),
    FailuresByUser("bob", "upload", 1),
    FailuresByUser("carol", "upload", 1),
    FailuresByUser("erin", "upload", 1),
]
EXPECTED_TOTALS = Totals(
    events=WORKLOAD_EVENTS - 1, downloads=24, bytes=14800 + 58512, unique_users=3, unique_addresses=4,
    failed_logins=3, failed_uploads=3, policy_decisions=0, policy_refusals=0, policy_waivers=0,
)


def assert_expected_numbers(report: Report) -> None:
    assert report.top_packages == EXPECTED_TOP
    assert report.cache_shares == EXPECTED_SHARES
    assert report.hourly_traffic == EXPECTED_HOURLY
    assert report.failures_by_user == EXPECTED_FAILURES
    assert report.totals == EXPECTED_TOTALS
    assert [(r.registry, r.cache_hit_ratio) for r in report.registries] == [("npm", 7 / 11), ("pypi", 0.6)]


def test_the_seed_queries_return_the_expected_numbers_in_pyiceberg(lake: LakeRun) -> None:
    assert_expected_numbers(build_report(lake.table(), *week_of(REPORT_NOW)))


def test_duckdb_reads_the_iceberg_table_and_gets_the_same_numbers(lake: LakeRun) -> None:
    start, end = week_of(REPORT_NOW)
    engine = over_iceberg(lake.table().metadata_location, lake.s3, start, end)
    assert_expected_numbers(report_from(engine, start, end, datetime.now(UTC)))


def test_the_printed_duckdb_recipe_runs_and_gets_the_same_numbers(lake: LakeRun) -> None:
    script = run_module("registry_lake.duckdb_recipe", lake.env, ["--now", REPORT_NOW.isoformat()], stderr=False)
    assert lake.s3.secret_access_key not in script  # the secret is the user's to paste in
    con = duckdb_engine.connect()
    for statement in script.replace(SECRET_PLACEHOLDER, lake.s3.secret_access_key or "").split(";\n\n"):
        if statement.strip() and not statement.lstrip().startswith("-- DuckDB recipe"):
            con.execute(statement)
    engine = duckdb_engine.DuckDbEngine(con)
    top = engine.rows(sql_text("top_packages"))
    assert [TopPackage(r["registry"], r["package"], r["downloads"], r["bytes"]) for r in top] == EXPECTED_TOP
    failures = engine.rows(sql_text("failures_by_user"))
    assert [FailuresByUser(r["claimed_user"], r["action"], r["failures"]) for r in failures] == EXPECTED_FAILURES


def test_spark_sql_gets_the_same_numbers(lake: LakeRun) -> None:
    from_spark = run_spark_sql_report(lake.env, REPORT_NOW.isoformat())
    expected = dataclasses.asdict(build_report(lake.table(), *week_of(REPORT_NOW)))
    as_json = json.loads(json.dumps(expected, default=datetime.isoformat))
    assert {k: v for k, v in from_spark.items() if k != "generated_at"} == {
        k: v for k, v in as_json.items() if k != "generated_at"
    }
    assert from_spark["totals"]["downloads"] == EXPECTED_TOTALS.downloads


def test_an_empty_week_is_a_report_of_zeros(lake: LakeRun) -> None:
    report = build_report(lake.table(), *week_of(EMPTY_WEEK_NOW))
    assert report.is_empty and report.totals == Totals(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    page_file = lake.tmp / "empty.html"
    output = run_report(lake.env, EMPTY_WEEK_NOW.isoformat(), page_file)
    assert "No audit events in this range." in output
    assert read_tables(page_file.read_text())["hit-ratio"] == [
        ["npm", "0", "0 B", "n/a", "0", "0", "0"],
        ["pypi", "0", "0 B", "n/a", "0", "0", "0"],
    ]


def test_a_normal_job_run_logs_no_warnings(lake: LakeRun) -> None:
    """Only the workload's two malformed messages are worth a warning (one dead-letter line each)."""
    warnings = [line for line in lake.job_output.splitlines() if re.search(r"\bWARN(ING)?\b", line)]
    others = [line for line in warnings if "registry_lake dead letter: partition" not in line]
    assert others == [], "\n".join(others)
    assert len(warnings) == 2


def test_the_report_command_renders_the_numbers_in_html(lake: LakeRun) -> None:
    page_file = lake.tmp / "report.html"
    output = run_report(lake.env, REPORT_NOW.isoformat(), page_file)
    assert "lodash" in output and "63.6%" in output
    page = page_file.read_text()
    assert "<script src=" not in page  # plotly.js is inlined: the page works offline
    assert page.count('class="plotly-graph-div"') == 8
    tables = read_tables(page)
    assert tables["top-packages"][:2] == [["npm", "lodash", "6", "5.9 KiB"], ["npm", "react", "4", "7.8 KiB"]]
    assert tables["hit-ratio"] == [
        ["npm", "12", "14.5 KiB", "63.6%", "1", "3", "1"],
        ["pypi", "12", "57.1 KiB", "60.0%", "2", "0", "2"],
    ]
    assert ["2026-11-24 11:00", "pypi", "5", "30.7 KiB"] in tables["hourly-traffic"]
    assert tables["failures-by-user"][0] == ["alice", "login", "2"]


def test_the_firewall_week_gives_its_refusals_and_the_exposure_of_the_feed(lake: LakeRun) -> None:
    """The week before the workload's: the firewall's decisions as they reach Kafka (extra.policy), and the
    report command with the firewall's REGISTRY_ADVISORY_FEED lists the exposure exactly."""
    feed_dir = write_feed(lake.tmp / "feed")
    report = build_report(lake.table(), *week_of(PREVIOUS_WEEK), feed=(str(feed_dir), load_feed(feed_dir)))
    assert (report.totals.policy_refusals, report.totals.policy_waivers) == (4, 1)
    assert [(p.policy, p.package, p.advisory, p.refusals) for p in report.policy_refusals] == [
        ("advisory", "evil-pkg", "MAL-2026-7", 2), ("cooldown", "fresh", "", 1), ("takedown", "gone", "", 1),
    ]
    assert report.exposure is not None and len(report.exposure.downloads) == 10
    produced = arrow_table(firewall_events(days_earlier=7) + exposure_events(days_earlier=7))
    assert report.exposure == exposure_of(produced, load_feed(feed_dir), str(feed_dir))
    page_file = lake.tmp / "firewall.html"
    env = {**lake.env, "REGISTRY_ADVISORY_FEED": str(feed_dir)}
    output = run_module("registry_lake.report", env, ["--now", PREVIOUS_WEEK.isoformat(), "--html", str(page_file)])
    assert not re.search(r"\bWARN(ING)?\b", output), output
    tables = read_tables(page_file.read_text())
    assert len(tables["exposure-downloads"]) == 10 and len(tables["policy-refusals"]) == 3
    assert ["MAL-2026-7", "2026-11-24 09:00 UTC", "npm:evil-pkg", "3", "3", "3"] in tables["exposure-advisories"]


def test_a_restarted_job_resumes_from_its_checkpoint_and_still_drops_repeats(lake: LakeRun) -> None:
    new = event("npm.package.download", PREVIOUS_WEEK, package="left-pad", status=200, source="cache", size=10)
    again = lake.workload.events[0]
    produce(
        lake.env["KAFKA_BROKERS"],
        lake.env["KAFKA_AUDIT_TOPIC"],
        [(f"npm:{e['package']}", json.dumps(e).encode()) for e in (again, new, new)],
    )
    run_stream_job(lake.env)
    ids = [dict(r["extra"])["event_id"] for r in lake.table().scan().to_arrow().to_pylist()]
    assert len(ids) == UNIQUE_EVENTS + 1 and len(set(ids)) == len(ids)
    assert new["extra"]["event_id"] in ids
    assert json.loads(lake.metrics_file.read_text())["events_appended"] == UNIQUE_EVENTS + 1
