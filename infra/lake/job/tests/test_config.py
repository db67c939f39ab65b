"""Configuration parsing and the Spark settings derived from it (no services, no JVM)."""

from __future__ import annotations

import pytest

from registry_lake.config import ConfigError, load_config
from registry_lake.spark_session import catalog_conf, s3a_conf, sqlite_wal_uri

BASE = {
    "KAFKA_BROKERS": "127.0.0.1:9092",
    "S3_ENDPOINT": "http://127.0.0.1:9000",
    "S3_ACCESS_KEY_ID": "key",
    "S3_SECRET_ACCESS_KEY": "very-secret",
}


def test_defaults_follow_the_seed() -> None:
    config = load_config(BASE)
    assert (config.kafka_topic, config.catalog.type, config.catalog.warehouse) == (
        "audit-events",
        "hadoop",
        "s3://audit-data/warehouse",
    )
    assert config.checkpoint_location.startswith("s3://audit-data/")
    assert (config.trigger, config.spark_master, config.driver_memory) == ("30 seconds", "local[2]", "2g")
    assert config.ddl_dir.joinpath("package_events.sql").is_file()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "KAFKA_BROKERS is required"),
        ({**BASE, "LAKE_CATALOG_TYPE": "glue"}, "LAKE_CATALOG_TYPE must be one of"),
        ({**BASE, "LAKE_CATALOG_TYPE": "jdbc"}, "LAKE_CATALOG_URI is required for the jdbc catalog"),
        ({**BASE, "LAKE_MAX_OFFSETS_PER_TRIGGER": "-1"}, "LAKE_MAX_OFFSETS_PER_TRIGGER"),
    ],
)
def test_rejects_bad_settings_naming_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(env)


def test_secrets_stay_out_of_the_repr() -> None:
    assert "very-secret" not in repr(load_config(BASE))


def test_jdbc_catalog_settings_for_spark() -> None:
    config = load_config({**BASE, "LAKE_CATALOG_TYPE": "jdbc", "LAKE_CATALOG_URI": "jdbc:sqlite:/tmp/c.db"})
    conf = catalog_conf(config.catalog, config.s3)
    assert conf["spark.sql.catalog.lake"] == "org.apache.iceberg.spark.SparkCatalog"
    assert conf["spark.sql.catalog.lake.catalog-impl"] == "org.apache.iceberg.jdbc.JdbcCatalog"
    assert conf["spark.sql.catalog.lake.uri"] == "jdbc:sqlite:/tmp/c.db?journal_mode=WAL"
    assert conf["spark.sql.catalog.lake.io-impl"] == "org.apache.iceberg.aws.s3.S3FileIO"
    assert conf["spark.sql.catalog.lake.s3.endpoint"] == "http://127.0.0.1:9000"


def test_s3_scheme_is_served_by_s3a_on_the_configured_endpoint() -> None:
    conf = s3a_conf(load_config(BASE).s3)
    assert conf["spark.hadoop.fs.s3.impl"] == "org.apache.hadoop.fs.s3a.S3AFileSystem"
    assert conf["spark.hadoop.fs.s3a.endpoint"] == "http://127.0.0.1:9000"
    assert conf["spark.hadoop.fs.s3a.path.style.access"] == "true"
    assert conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] == "false"


def test_sqlite_catalog_runs_in_wal_mode_unless_told_otherwise() -> None:
    assert sqlite_wal_uri("jdbc:sqlite:/a.db?foo=1") == "jdbc:sqlite:/a.db?foo=1&journal_mode=WAL"
    assert sqlite_wal_uri("jdbc:sqlite:/a.db?journal_mode=DELETE") == "jdbc:sqlite:/a.db?journal_mode=DELETE"
