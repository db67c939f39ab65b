"""The audit lake's Spark Structured Streaming job.

Kafka topic (KAFKA_AUDIT_TOPIC) -> parse the JSON with the event schema -> convert the timestamp ->
drop duplicates by extra.event_id within a watermark -> append to the Iceberg table; malformed records
go to the dead-letter table. The checkpoint lives in the object store. Run: python -m registry_lake.stream_job
(LAKE_TRIGGER=available-now drains the topic and stops, for tests and batch runs).
"""

from __future__ import annotations

import logging
import os
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.streaming import StreamingQuery

from registry_lake.config import ConfigError, LakeConfig, load_config
from registry_lake.parse import deduplicate, parse_kafka_records
from registry_lake.sink import make_batch_writer
from registry_lake.spark_session import build_spark_session
from registry_lake.tables import ensure_tables

log = logging.getLogger("registry_lake")
AVAILABLE_NOW = "available-now"


def read_kafka(spark: SparkSession, config: LakeConfig) -> DataFrame:
    reader = (
        spark.readStream.format("kafka")
        .option("kafka.bootstrap.servers", config.kafka_brokers)
        .option("subscribe", config.kafka_topic)
        .option("startingOffsets", config.starting_offsets)
        # Retention may delete records the job has not read yet; say so in the log, do not stop.
        .option("failOnDataLoss", "false")
    )
    if config.max_offsets_per_trigger is not None:
        reader = reader.option("maxOffsetsPerTrigger", str(config.max_offsets_per_trigger))
    return reader.load()


def start_query(spark: SparkSession, config: LakeConfig) -> StreamingQuery:
    events = deduplicate(parse_kafka_records(read_kafka(spark, config)), config.dedup_watermark)
    catalog = config.catalog
    writer = make_batch_writer(
        events_table=f"{catalog.name}.{catalog.table}",
        dead_letter_table=f"{catalog.name}.{catalog.dead_letter_table}",
        checkpoint=config.checkpoint_location,
        metrics_file=config.metrics_file,
    )
    stream = (
        events.writeStream.queryName("audit-package-events")
        .foreachBatch(writer)
        .option("checkpointLocation", config.checkpoint_location)
    )
    if config.trigger == AVAILABLE_NOW:
        stream = stream.trigger(availableNow=True)
    else:
        stream = stream.trigger(processingTime=config.trigger)
    return stream.start()


def run(config: LakeConfig) -> None:
    spark = build_spark_session(config)
    try:
        ensure_tables(spark, config)
        query = start_query(spark, config)
        log.info(
            "streaming %s -> %s.%s (trigger %s)",
            config.kafka_topic,
            config.catalog.name,
            config.catalog.table,
            config.trigger,
        )
        query.awaitTermination()
        if query.exception() is not None:
            raise RuntimeError(f"streaming query failed: {query.exception()}")
    finally:
        spark.stop()


def main() -> int:
    logging.basicConfig(
        level=os.environ.get("LAKE_LOG_LEVEL", "INFO"), format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    try:
        config = load_config(os.environ)
    except ConfigError as err:
        log.error("invalid configuration: %s", err)
        return 2
    run(config)
    return 0


if __name__ == "__main__":
    sys.exit(main())
