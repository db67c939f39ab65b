"""Spark SQL as the lake's query engine: the same SQL files (infra/lake/sql) over the Iceberg table.

`python -m registry_lake.spark_sql [--now ISO | --from ISO --to ISO] [--top N]` prints the report's figures as
JSON, computed by Spark SQL on the configured lake (the job's environment: catalog, object store, jars).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from datetime import UTC, datetime

from pyspark.sql import SparkSession

from registry_lake.config import ConfigError, load_config
from registry_lake.lake_sql import Row, range_view
from registry_lake.report.__main__ import parse_range_args, range_parser, report_range
from registry_lake.report.queries import report_from
from registry_lake.spark_session import build_spark_session


class SparkSqlEngine:
    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)

    def rows(self, sql: str) -> list[Row]:
        return [row.asDict(recursive=True) for row in self.spark.sql(sql).collect()]


def over_table(spark: SparkSession, table: str, start: datetime, end: datetime) -> SparkSqlEngine:
    """`package_events` as the rows of `table` (e.g. lake.audit.package_events) in [start, end)."""
    engine = SparkSqlEngine(spark)
    engine.execute(range_view(table, start, end))
    return engine


def main(argv: list[str] | None = None) -> int:
    parser = range_parser("registry_lake.spark_sql", __doc__)
    args = parse_range_args(parser, sys.argv[1:] if argv is None else argv)
    generated_at = datetime.now(UTC)
    start, end = report_range(args, generated_at)
    try:
        config = load_config(os.environ)
    except ConfigError as err:
        print(f"invalid configuration: {err}", file=sys.stderr)
        return 2
    spark = build_spark_session(config, "registry-lake-sql")
    try:
        engine = over_table(spark, f"{config.catalog.name}.{config.catalog.table}", start, end)
        report = report_from(engine, start, end, generated_at, args.top)
    finally:
        spark.stop()
    print(json.dumps(dataclasses.asdict(report), default=datetime.isoformat, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
