"""The foreachBatch sink: valid events to the table, rejected records to the dead-letter table.

Each append carries the batch's identity as an Iceberg snapshot property; a batch replayed after a
crash (Spark re-runs the last uncommitted batch id) finds its snapshot and is not appended twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from registry_lake.metrics import add_to_counters
from registry_lake.parse import ERROR, dead_letters, valid_events

log = logging.getLogger("registry_lake")
BATCH_PROPERTY = "registry-lake.batch"


def _already_committed(spark: SparkSession, table: str, batch_key: str) -> bool:
    snapshots = spark.table(f"{table}.snapshots")
    return snapshots.where(F.col("summary")[BATCH_PROPERTY] == batch_key).limit(1).count() > 0


def _append_once(rows: DataFrame, table: str, batch_key: str) -> bool:
    """Appends unless a snapshot of this batch exists; returns whether it appended."""
    if _already_committed(rows.sparkSession, table, batch_key):
        return False
    rows.writeTo(table).option(f"snapshot-property.{BATCH_PROPERTY}", batch_key).append()
    return True


def _log_dead_letters(batch: DataFrame, limit: int = 20) -> None:
    rejected = batch.where(F.col(ERROR).isNotNull()).select(ERROR, "kafka_partition", "kafka_offset")
    for reason, partition, offset in rejected.limit(limit).collect():
        log.warning("dead letter: partition %s offset %s: %s", partition, offset, reason)


def make_batch_writer(
    events_table: str, dead_letter_table: str, checkpoint: str, metrics_file: Path
) -> Callable[[DataFrame, int], None]:
    def write_batch(batch: DataFrame, batch_id: int) -> None:
        batch_key = f"{checkpoint}#{batch_id}"
        batch.persist()
        try:
            by_validity = batch.groupBy(F.col(ERROR).isNull().alias("ok")).count().collect()
            counts = {row["ok"]: row["count"] for row in by_validity}
            good, bad = counts.get(True, 0), counts.get(False, 0)
            appended_good = good > 0 and _append_once(valid_events(batch), events_table, batch_key)
            appended_bad = bad > 0 and _append_once(dead_letters(batch), dead_letter_table, batch_key)
            if appended_bad:
                _log_dead_letters(batch)
            replayed = (good > 0 and not appended_good) or (bad > 0 and not appended_bad)
            counters = add_to_counters(
                metrics_file,
                batches=1,
                events_appended=good if appended_good else 0,
                dead_letters=bad if appended_bad else 0,
                batches_replayed=int(replayed),
            )
            log.info(
                "batch %s: %s events, %s dead letters%s; totals %s",
                batch_id,
                good,
                bad,
                " (replayed batch, skipped)" if replayed else "",
                counters,
            )
        finally:
            batch.unpersist()

    return write_batch
