"""Configuration of the stream job and the report, read once from the environment.

Names follow the rest of the repo: KAFKA_BROKERS, KAFKA_AUDIT_TOPIC and the S3_* variables that
tools/services writes to .services/env; LAKE_* for the lake's own settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

CATALOG_TYPES = ("hadoop", "jdbc", "rest")
_DDL_DIR = Path(__file__).resolve().parents[2] / "ddl"


class ConfigError(ValueError):
    """A missing or illegal setting; the message names the variable."""


@dataclass(frozen=True)
class S3Settings:
    endpoint: str | None
    access_key_id: str | None
    secret_access_key: str | None
    region: str
    path_style: bool

    def __repr__(self) -> str:  # secrets never reach a log
        return f"S3Settings(endpoint={self.endpoint!r}, region={self.region!r}, path_style={self.path_style})"


@dataclass(frozen=True)
class CatalogSettings:
    type: str  # hadoop | jdbc | rest
    name: str  # the Spark catalog name (spark.sql.catalog.<name>)
    warehouse: str  # s3://bucket/prefix
    uri: str | None  # jdbc:sqlite:/path/catalog.db or http(s)://rest-catalog
    table: str = "audit.package_events"
    dead_letter_table: str = "audit.package_events_dead_letter"


@dataclass(frozen=True)
class LakeConfig:
    kafka_brokers: str
    kafka_topic: str
    starting_offsets: str
    max_offsets_per_trigger: int | None
    catalog: CatalogSettings
    s3: S3Settings
    checkpoint_location: str
    trigger: str  # "available-now" or a processing-time interval such as "30 seconds"
    dedup_watermark: str
    metrics_file: Path
    spark_master: str
    driver_memory: str
    jars_dir: Path | None
    ddl_dir: Path


def _required(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise ConfigError(f"{name} is required")
    return value


def load_s3_settings(env: Mapping[str, str]) -> S3Settings:
    return S3Settings(
        endpoint=env.get("S3_ENDPOINT") or None,
        access_key_id=env.get("S3_ACCESS_KEY_ID") or None,
        secret_access_key=env.get("S3_SECRET_ACCESS_KEY") or None,
        region=env.get("S3_REGION", "us-east-1"),
        path_style=env.get("S3_FORCE_PATH_STYLE", "true").lower() == "true",
    )


def load_catalog_settings(env: Mapping[str, str]) -> CatalogSettings:
    kind = env.get("LAKE_CATALOG_TYPE", "hadoop")
    if kind not in CATALOG_TYPES:
        raise ConfigError(f"LAKE_CATALOG_TYPE must be one of {', '.join(CATALOG_TYPES)}, got {kind!r}")
    uri = env.get("LAKE_CATALOG_URI") or None
    if kind in ("jdbc", "rest") and uri is None:
        raise ConfigError(f"LAKE_CATALOG_URI is required for the {kind} catalog")
    warehouse = env.get("LAKE_WAREHOUSE", "s3://audit-data/warehouse").rstrip("/")
    return CatalogSettings(type=kind, name=env.get("LAKE_CATALOG_NAME", "lake"), warehouse=warehouse, uri=uri)


def load_config(env: Mapping[str, str]) -> LakeConfig:
    """Parses and validates every setting once; raises ConfigError naming the bad variable."""
    trigger = env.get("LAKE_TRIGGER", "30 seconds")
    max_offsets = env.get("LAKE_MAX_OFFSETS_PER_TRIGGER")
    if max_offsets is not None and not max_offsets.isdigit():
        raise ConfigError("LAKE_MAX_OFFSETS_PER_TRIGGER must be a positive integer")
    jars_dir = env.get("LAKE_JARS_DIR")
    return LakeConfig(
        kafka_brokers=_required(env, "KAFKA_BROKERS"),
        kafka_topic=env.get("KAFKA_AUDIT_TOPIC", "audit-events"),
        starting_offsets=env.get("LAKE_STARTING_OFFSETS", "earliest"),
        max_offsets_per_trigger=int(max_offsets) if max_offsets else None,
        catalog=load_catalog_settings(env),
        s3=load_s3_settings(env),
        checkpoint_location=env.get("LAKE_CHECKPOINT_LOCATION", "s3://audit-data/checkpoints/package-events"),
        trigger=trigger,
        dedup_watermark=env.get("LAKE_DEDUP_WATERMARK", "1 hour"),
        metrics_file=Path(env.get("LAKE_METRICS_FILE", "lake-metrics.json")),
        spark_master=env.get("LAKE_SPARK_MASTER", "local[2]"),
        driver_memory=env.get("LAKE_DRIVER_MEMORY", "2g"),
        jars_dir=Path(jars_dir) if jars_dir else None,
        ddl_dir=Path(env.get("LAKE_DDL_DIR", str(_DDL_DIR))),
    )
