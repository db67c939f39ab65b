-- Dead-letter table of the audit lake: Kafka messages the stream job could not turn into a
-- package_events row (unparseable JSON, a missing required field, a bad timestamp). Kept raw with the
-- reason and the Kafka coordinates, so they can be inspected and replayed; never fatal to the job.
CREATE TABLE IF NOT EXISTS audit.package_events_dead_letter (
  raw_value        STRING    COMMENT 'the Kafka message value as received (UTF-8)',
  error            STRING    NOT NULL COMMENT 'why it was rejected',
  kafka_topic      STRING    NOT NULL,
  kafka_partition  INT       NOT NULL,
  kafka_offset     BIGINT    NOT NULL,
  kafka_timestamp  TIMESTAMP COMMENT 'the Kafka record timestamp',
  ingested_at      TIMESTAMP NOT NULL COMMENT 'when the stream job rejected it'
)
USING iceberg
PARTITIONED BY (days(ingested_at))
TBLPROPERTIES (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
