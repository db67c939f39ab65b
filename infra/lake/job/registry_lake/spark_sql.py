"""Spark SQL as the lake's query engine: the same SQL files (infra/lake/sql) over the Iceberg table."""

from __future__ import annotations

from datetime import datetime

from pyspark.sql import SparkSession

from registry_lake.lake_sql import Row, range_view


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
