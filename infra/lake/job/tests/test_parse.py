"""The stream job's parsing and rejection rules, on a local Spark session in batch mode (no services)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pyspark.sql import SparkSession

from registry_lake.parse import DEDUP_COLUMN, ERROR, dead_letters, parse_kafka_records, valid_events
from tests.workload import event

GOOD = event(
    "npm.package.download",
    datetime(2026, 11, 24, 9, 0, 0, 5000, tzinfo=UTC),
    package="a",
    status=200,
    source="cache",
    size=1,
)


@pytest.fixture
def spark(local_spark: SparkSession) -> SparkSession:
    return local_spark


def parse(spark: SparkSession, *values: str) -> list[dict]:
    rows = [(v.encode(), "t", 0, i, datetime(2026, 11, 24, tzinfo=UTC)) for i, v in enumerate(values)]
    records = spark.createDataFrame(rows, "value binary, topic string, partition int, offset long, timestamp timestamp")
    return [r.asDict(recursive=True) for r in parse_kafka_records(records).orderBy("kafka_offset").collect()]


def with_(**changes: object) -> str:
    return json.dumps({**GOOD, **changes})


def test_a_valid_event_is_parsed_with_its_millisecond_timestamp(spark: SparkSession) -> None:
    [row] = parse(spark, json.dumps(GOOD))
    assert row[ERROR] is None
    assert row["timestamp"] == datetime(2026, 11, 24, 9, 0, 0, 5000)  # session time zone UTC, naive
    assert (row["status_code"], row["size"], row["extra"]["event_id"]) == (200, 1, GOOD["extra"]["event_id"])
    assert row[DEDUP_COLUMN] == GOOD["extra"]["event_id"]


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("not json at all", "unparseable JSON"),
        ('{"timestamp": "2026-11-24T09:00:00.000Z"', "unparseable JSON"),
        ("[1, 2]", "missing required field: timestamp"),
        (with_(event_type=None), "missing required field: event_type"),
        (with_(registry=None), "missing required field: registry"),
        (with_(action=None), "missing required field: action"),
        (with_(timestamp="yesterday"), "timestamp is not ISO 8601 with milliseconds"),
        (with_(status_code="two hundred"), "wrong type: status_code"),
        (with_(size="big"), "wrong type: size"),
        (with_(extra={"request_id": "r"}), "missing extra.event_id"),
    ],
)
def test_malformed_messages_are_rejected_with_a_reason(spark: SparkSession, value: str, reason: str) -> None:
    [row] = parse(spark, value)
    assert row[ERROR] == reason
    assert row["raw_value"] == value
    assert row[DEDUP_COLUMN] == "rejected:0:0"  # never merged with another rejected record


def test_batches_split_into_table_rows_and_dead_letters(spark: SparkSession) -> None:
    values = [json.dumps(GOOD), "{", with_(extra={})]
    rows = [(v.encode(), "t", 3, 40 + i, datetime(2026, 11, 24, tzinfo=UTC)) for i, v in enumerate(values)]
    records = spark.createDataFrame(rows, "value binary, topic string, partition int, offset long, timestamp timestamp")
    parsed = parse_kafka_records(records)
    assert valid_events(parsed).columns == list(GOOD)
    assert [r["extra"]["event_id"] for r in valid_events(parsed).collect()] == [GOOD["extra"]["event_id"]]
    letters = sorted((r["kafka_offset"], r["error"]) for r in dead_letters(parsed).collect())
    assert letters == [(41, "unparseable JSON"), (42, "missing extra.event_id")]
