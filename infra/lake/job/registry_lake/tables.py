"""Creates the lake's tables from the shipped DDL files when they are missing (CREATE ... IF NOT EXISTS)."""

from __future__ import annotations

from pathlib import Path

from pyspark.sql import SparkSession

from registry_lake.config import LakeConfig

DDL_FILES = {"package_events.sql": "package_events", "package_events_dead_letter.sql": "package_events_dead_letter"}


def statements_of(ddl: str) -> list[str]:
    """The SQL statements of a DDL file: `--` comment lines dropped, split on `;`."""
    body = "\n".join(line for line in ddl.splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in body.split(";") if s.strip()]


def ensure_tables(spark: SparkSession, config: LakeConfig) -> None:
    """Runs the DDL of each missing table in the configured catalog; the DDL names tables `audit.<table>`.

    Existing tables are not sent the DDL at all: a refused create still costs a catalog round trip, and
    the DDL of a table that exists may be newer than the table (schema changes are migrations, not this).
    """
    spark.sql(f"CREATE NAMESPACE IF NOT EXISTS {config.catalog.name}.audit")
    spark.catalog.setCurrentCatalog(config.catalog.name)
    for name, table in DDL_FILES.items():
        if spark.catalog.tableExists(f"{config.catalog.name}.audit.{table}"):
            continue
        for statement in statements_of(Path(config.ddl_dir, name).read_text(encoding="utf-8")):
            spark.sql(statement)
