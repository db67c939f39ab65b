"""DuckDB as the lake's query engine: over an Arrow table (the report) or straight over Iceberg files.

The iceberg, httpfs and avro extensions come from their PyPI wheels (duckdb-extension-*), loaded by path, and
DuckDB is told never to download one: the recipe works offline.
"""

from __future__ import annotations

import importlib.util
from datetime import datetime
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pyarrow as pa

from registry_lake.config import S3Settings
from registry_lake.lake_sql import Row, range_view

EXTENSIONS = ("httpfs", "avro", "iceberg")  # iceberg reads its manifests with avro, its files with httpfs


class DuckDbEngine:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def rows(self, sql: str) -> list[Row]:
        # Through Arrow: DuckDB's own conversion of TIMESTAMPTZ values would need pytz.
        return self.con.execute(sql).to_arrow_table().to_pylist()


def extension_path(name: str) -> Path:
    """The .duckdb_extension file the `duckdb-extension-<name>` wheel ships for this DuckDB version."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"duckdb-extension-{name} is not installed (tools/lake/install.sh installs it)")
    package_dir = Path(spec.submodule_search_locations[0])
    found = sorted(package_dir.glob(f"extensions/v{duckdb.__version__}/*.duckdb_extension"))
    if not found:
        raise RuntimeError(f"duckdb-extension-{name} has no extension for DuckDB {duckdb.__version__}")
    return found[0]


def connect() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB in UTC that loads extensions only from the installed wheels."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    con.execute("SET TimeZone = 'UTC'")
    return con


def over_arrow(events: pa.Table) -> DuckDbEngine:
    """`package_events` is the given Arrow table (already limited to the report's range)."""
    con = connect()
    con.register("scanned_events", events)
    con.execute("CREATE OR REPLACE TEMPORARY VIEW package_events AS SELECT * FROM scanned_events")
    return DuckDbEngine(con)


SECRET_PLACEHOLDER = "<S3_SECRET_ACCESS_KEY>"


def s3_secret_sql(s3: S3Settings, reveal: bool) -> str:
    """CREATE SECRET for the object store (endpoint, path style, credentials) in DuckDB's terms; the secret key
    itself only when `reveal` (printed recipes carry a placeholder)."""
    options = ["TYPE s3", f"REGION '{s3.region}'", f"URL_STYLE '{'path' if s3.path_style else 'vhost'}'"]
    if s3.endpoint:
        endpoint = urlparse(s3.endpoint)
        options += [f"ENDPOINT '{endpoint.netloc}'", f"USE_SSL {str(endpoint.scheme == 'https').lower()}"]
    if s3.access_key_id and s3.secret_access_key:
        secret = s3.secret_access_key if reveal else SECRET_PLACEHOLDER
        options += [f"KEY_ID '{s3.access_key_id}'", f"SECRET '{secret}'"]
    return f"CREATE OR REPLACE SECRET lake_s3 ({', '.join(options)})"


def setup_statements(metadata_location: str, s3: S3Settings, reveal: bool = False) -> list[str]:
    """The recipe: load the extensions from their wheels, the object store secret, and `lake_events` as
    DuckDB's iceberg_scan of the table's current metadata file."""
    escaped = metadata_location.replace("'", "''")
    return [
        *(f"LOAD '{extension_path(name)}'" for name in EXTENSIONS),
        s3_secret_sql(s3, reveal),
        f"CREATE OR REPLACE VIEW lake_events AS SELECT * FROM iceberg_scan('{escaped}')",
    ]


def over_iceberg(metadata_location: str, s3: S3Settings, start: datetime, end: datetime) -> DuckDbEngine:
    """`package_events` read by DuckDB's iceberg_scan from the table's current metadata file, in [start, end)."""
    con = connect()
    for statement in setup_statements(metadata_location, s3, reveal=True):
        con.execute(statement)
    con.execute(range_view("lake_events", start, end))
    return DuckDbEngine(con)
