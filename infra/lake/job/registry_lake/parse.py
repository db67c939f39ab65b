"""Turns Kafka records into audit rows or dead letters (pure DataFrame transforms, batch or stream).

A record is rejected, with a reason, when its value is not JSON, a required field is missing, the
timestamp is not ISO 8601, a typed field has the wrong type, or extra.event_id (the de-duplication key)
is missing. Rejected records keep their raw value and Kafka coordinates.
"""

from __future__ import annotations

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from registry_lake.schema import DEDUP_KEY, EVENT_FIELDS, FIELD_NAMES, REQUIRED_FIELDS
from registry_lake.spark_schema import event_json_schema

# ISO 8601 UTC with milliseconds and Z, as the audit issue specifies; XXX also accepts +00:00.
TIMESTAMP_FORMAT = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX"
ERROR = "_error"
DEDUP_COLUMN = "_dedup_key"
KAFKA_COLUMNS = ("kafka_topic", "kafka_partition", "kafka_offset", "kafka_timestamp")


def _rejection_reason(raw: Column, event: Column, timestamp: Column) -> Column:
    """First failed check as text, or null when the record is a valid event."""
    reason = F.when(F.try_parse_json(raw).isNull(), F.lit("unparseable JSON"))
    for name in REQUIRED_FIELDS:
        reason = reason.when(event[name].isNull(), F.lit(f"missing required field: {name}"))
    reason = reason.when(timestamp.isNull(), F.lit("timestamp is not ISO 8601 with milliseconds"))
    for field in EVENT_FIELDS:
        if field.kind not in {"string", "timestamp"}:
            present = F.get_json_object(raw, f"$.{field.name}").isNotNull()
            reason = reason.when(present & event[field.name].isNull(), F.lit(f"wrong type: {field.name}"))
    return reason.when(event["extra"][DEDUP_KEY].isNull(), F.lit(f"missing extra.{DEDUP_KEY}"))


def parse_kafka_records(records: DataFrame) -> DataFrame:
    """Kafka source rows -> event columns + `_error` (null when valid) + Kafka coordinates + dedup key."""
    raw = F.col("value").cast("string")
    staged = records.select(
        raw.alias("raw_value"),
        F.col("topic").alias("kafka_topic"),
        F.col("partition").alias("kafka_partition"),
        F.col("offset").alias("kafka_offset"),
        F.col("timestamp").alias("kafka_timestamp"),
        F.from_json(raw, event_json_schema(), {"mode": "PERMISSIVE"}).alias("e"),
    )
    event = F.col("e")
    timestamp = F.try_to_timestamp(event["timestamp"], F.lit(TIMESTAMP_FORMAT))
    columns = [timestamp.alias("timestamp")] + [event[n].alias(n) for n in FIELD_NAMES if n != "timestamp"]
    reason = _rejection_reason(F.col("raw_value"), event, timestamp)
    # Rejected records get a key of their own, so de-duplication never merges one with another record
    # (not even a valid one carrying the same event_id).
    rejected_key = F.concat_ws(":", F.lit("rejected"), F.col("kafka_partition"), F.col("kafka_offset"))
    dedup_key = F.when(reason.isNull(), event["extra"][DEDUP_KEY]).otherwise(rejected_key)
    return staged.select(
        *columns,
        reason.alias(ERROR),
        F.col("raw_value"),
        *KAFKA_COLUMNS,
        dedup_key.alias(DEDUP_COLUMN),
    )


def deduplicate(parsed: DataFrame, watermark: str) -> DataFrame:
    """Drops repeats of one extra.event_id seen within `watermark` of Kafka time (at-least-once delivery).

    The watermark runs on the Kafka record time, not the event time: a producer that spooled events
    while the broker was down still delivers them, where an event-time watermark would drop them as late.
    """
    return parsed.withWatermark("kafka_timestamp", watermark).dropDuplicatesWithinWatermark([DEDUP_COLUMN])


def valid_events(batch: DataFrame) -> DataFrame:
    return batch.where(F.col(ERROR).isNull()).select(*FIELD_NAMES)


def dead_letters(batch: DataFrame) -> DataFrame:
    return batch.where(F.col(ERROR).isNotNull()).select(
        "raw_value",
        F.col(ERROR).alias("error"),
        *KAFKA_COLUMNS,
        F.current_timestamp().alias("ingested_at"),
    )
