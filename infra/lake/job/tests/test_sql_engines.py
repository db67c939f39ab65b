"""One set of SQL files, three engines: the report's DuckDB-over-Arrow and Spark SQL give the same report for
the synthetic workload (local Spark, no services). The end-to-end test adds DuckDB's iceberg_scan."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pyarrow.compute as pc
from pyspark.sql import SparkSession

from registry_lake.report.exposure import exposure_from, exposure_of
from registry_lake.report.osv import load_feed
from registry_lake.report.queries import report_from, report_of_events, week_of
from registry_lake.spark_sql import over_table
from registry_lake.usage import usage_from, usage_of_events
from tests.firewall_workload import exposure_events, firewall_events, write_feed
from tests.workload import REPORT_NOW, arrow_table, build_workload

GENERATED = datetime(2026, 11, 25, 12, tzinfo=UTC)
SPARK_SCHEMA = (
    "timestamp timestamp, event_type string, registry string, package string, version string, filename string, "
    "action string, source string, user_agent string, remote_addr string, status_code int, size bigint, "
    "extra map<string,string>"
)


def test_spark_sql_and_duckdb_agree_on_every_query(local_spark: SparkSession) -> None:
    events = arrow_table(build_workload().events + firewall_events())
    rows = [{**r, "extra": dict(r["extra"])} for r in events.to_pylist()]
    local_spark.createDataFrame(rows, SPARK_SCHEMA).createOrReplaceTempView("workload_events")
    start, end = week_of(REPORT_NOW)
    spark_report = report_from(over_table(local_spark, "workload_events", start, end), start, end, GENERATED)
    in_week = pc.and_(pc.greater_equal(events["timestamp"], start), pc.less(events["timestamp"], end))
    duckdb_report = report_of_events(events.filter(in_week), start, end, GENERATED)
    assert spark_report == duckdb_report
    assert spark_report.totals.downloads == 24 + 1 and spark_report.totals.events == len(rows) - 1
    assert (spark_report.totals.policy_refusals, len(spark_report.policy_refusals)) == (4, 3)
    assert replace(spark_report, generated_at=GENERATED) == spark_report


def test_spark_sql_and_duckdb_agree_on_the_exposure(local_spark: SparkSession, tmp_path: Path) -> None:
    events = arrow_table(build_workload().events + exposure_events())
    rows = [{**r, "extra": dict(r["extra"])} for r in events.to_pylist()]
    local_spark.createDataFrame(rows, SPARK_SCHEMA).createOrReplaceTempView("exposure_events")
    advisories = load_feed(write_feed(tmp_path / "feed"))
    spark = exposure_from(over_table(local_spark, "exposure_events", *week_of(REPORT_NOW)), advisories, "feed")
    in_week = pc.greater_equal(events["timestamp"], week_of(REPORT_NOW)[0])
    assert spark == exposure_of(events.filter(in_week), advisories, "feed")
    assert len(spark.downloads) == 9


def test_spark_sql_and_duckdb_agree_on_the_usage_snapshot(local_spark: SparkSession) -> None:
    events = arrow_table(build_workload().events)
    rows = [{**r, "extra": dict(r["extra"])} for r in events.to_pylist()]
    local_spark.createDataFrame(rows, SPARK_SCHEMA).createOrReplaceTempView("usage_events")
    start, end = week_of(REPORT_NOW)
    spark = usage_from(over_table(local_spark, "usage_events", start, end), start, end, GENERATED)
    in_week = pc.and_(pc.greater_equal(events["timestamp"], start), pc.less(events["timestamp"], end))
    assert spark == usage_of_events(events.filter(in_week), start, end, GENERATED)
    assert sum(r["downloads"] for r in spark["registries"]) == 24
