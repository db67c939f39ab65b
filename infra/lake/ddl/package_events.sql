-- Iceberg table of the audit lake: one row per package operation, the Kafka JSON audit event
-- with `timestamp` parsed. Same fields and order as infra/avro/package-event.avsc and
-- AUDIT_EVENT_FIELDS (libs/audit/event); infra/lake/job/tests/test_schema_faces.py keeps them equal.
-- Spark SQL; run by the stream job against its current catalog (USE <catalog>) when the table is missing.
-- The location comes from the catalog's warehouse (s3://audit-data/... in tests and the seed).
CREATE TABLE IF NOT EXISTS audit.package_events (
  `timestamp`  TIMESTAMP NOT NULL COMMENT 'when the operation happened (UTC, millisecond precision)',
  event_type   STRING    NOT NULL COMMENT 'one of the 12 event types, e.g. npm.package.download',
  registry     STRING    NOT NULL COMMENT 'pypi or npm',
  package      STRING             COMMENT 'normalized package name',
  version      STRING,
  filename     STRING             COMMENT 'wheel/sdist/tarball file name',
  action       STRING    NOT NULL COMMENT 'download, upload, metadata, search or login',
  source       STRING             COMMENT 'cache or upstream',
  user_agent   STRING,
  remote_addr  STRING,
  status_code  INT                COMMENT 'HTTP status sent to the client',
  size         BIGINT             COMMENT 'response bytes',
  extra        MAP<STRING, STRING> COMMENT 'event_id (de-duplication key), request_id, user, ...'
)
USING iceberg
PARTITIONED BY (registry, days(`timestamp`))
TBLPROPERTIES (
  'format-version' = '2',
  'write.format.default' = 'parquet',
  'write.parquet.compression-codec' = 'zstd'
);
