"""Builds the SparkSession: local or cluster master, the connector jars, the Iceberg catalog and S3A.

S3FileIO (Iceberg) writes the table files; S3A (hadoop-aws) serves the Hadoop catalog's metadata
directory and the streaming checkpoint, both on `s3://` URIs in the object store.
"""

from __future__ import annotations

import os
from pathlib import Path

from pyspark.sql import SparkSession

from registry_lake.config import CatalogSettings, LakeConfig, S3Settings
from registry_lake.quiet_jvm import jvm_stderr_filtered

LOG4J2_CONFIG = Path(__file__).with_name("log4j2.properties")

_CATALOG_IMPL = {
    "hadoop": {"type": "hadoop"},
    "jdbc": {"catalog-impl": "org.apache.iceberg.jdbc.JdbcCatalog"},
    "rest": {"type": "rest"},
}


def sqlite_wal_uri(uri: str) -> str:
    """SQLite in its default rollback journal lets one connection in at a time, and Iceberg's JDBC catalog
    holds several: commits then fail with SQLITE_BUSY. WAL lets readers and the writer work side by side."""
    return uri if "journal_mode=" in uri else f"{uri}{'&' if '?' in uri else '?'}journal_mode=WAL"


def catalog_conf(catalog: CatalogSettings, s3: S3Settings) -> dict[str, str]:
    """spark.sql.catalog.<name>.* settings for an Iceberg catalog whose files live in the object store."""
    props: dict[str, str] = {
        **_CATALOG_IMPL[catalog.type],
        "warehouse": catalog.warehouse,
        "io-impl": "org.apache.iceberg.aws.s3.S3FileIO",
        "client.region": s3.region,
        "s3.path-style-access": str(s3.path_style).lower(),
    }
    if catalog.uri:
        props["uri"] = catalog.uri
    if catalog.type == "jdbc":
        # The same tables as pyiceberg's SqlCatalog (iceberg_tables), so the report can read them.
        props["jdbc.schema-version"] = "V1"
    if catalog.uri and catalog.uri.startswith("jdbc:sqlite:"):
        props["uri"] = sqlite_wal_uri(catalog.uri)
        props["jdbc.busy_timeout"] = "30000"  # wait on a busy file rather than fail at once
    if s3.endpoint:
        props["s3.endpoint"] = s3.endpoint
    if s3.access_key_id and s3.secret_access_key:
        props["s3.access-key-id"] = s3.access_key_id
        props["s3.secret-access-key"] = s3.secret_access_key
    prefix = f"spark.sql.catalog.{catalog.name}"
    return {prefix: "org.apache.iceberg.spark.SparkCatalog", **{f"{prefix}.{k}": v for k, v in props.items()}}


def s3a_conf(s3: S3Settings) -> dict[str, str]:
    """Hadoop S3A settings; `s3://` is mapped to S3A so one URI scheme serves Iceberg and Spark alike."""
    conf = {
        "spark.hadoop.fs.s3.impl": "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "spark.hadoop.fs.s3a.path.style.access": str(s3.path_style).lower(),
        "spark.hadoop.fs.s3a.endpoint.region": s3.region,
    }
    if s3.endpoint:
        conf["spark.hadoop.fs.s3a.endpoint"] = s3.endpoint
        conf["spark.hadoop.fs.s3a.connection.ssl.enabled"] = str(s3.endpoint.startswith("https")).lower()
    if s3.access_key_id and s3.secret_access_key:
        conf["spark.hadoop.fs.s3a.aws.credentials.provider"] = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider"
        conf["spark.hadoop.fs.s3a.access.key"] = s3.access_key_id
        conf["spark.hadoop.fs.s3a.secret.key"] = s3.secret_access_key
    return conf


def build_spark_session(config: LakeConfig, app_name: str = "registry-audit-lake") -> SparkSession:
    builder = (
        SparkSession.builder.appName(app_name)
        .config("spark.driver.memory", config.driver_memory)
        # Two cores shared with other work: few shuffle partitions, no UI server.
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.defaultCatalog", config.catalog.name)
        .config("spark.driver.extraJavaOptions", f"-Dlog4j.configurationFile={LOG4J2_CONFIG.as_uri()}")
        .config("spark.executor.extraJavaOptions", f"-Dlog4j.configurationFile={LOG4J2_CONFIG.as_uri()}")
    )
    if config.spark_master:  # empty: the master spark-submit was given (the Kubernetes operator's)
        builder = builder.master(config.spark_master)
    if config.spark_master.startswith("local"):
        # A local job serves nothing to other hosts: bind to loopback (Spark warns when it has to guess).
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    if config.jars_dir is not None:
        jars = sorted(str(p) for p in config.jars_dir.glob("*.jar"))
        builder = builder.config("spark.jars", ",".join(jars))
    for key, value in {**catalog_conf(config.catalog, config.s3), **s3a_conf(config.s3)}.items():
        builder = builder.config(key, value)
    with jvm_stderr_filtered():
        spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    return spark
