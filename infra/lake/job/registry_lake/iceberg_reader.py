"""Opens the lake's Iceberg tables with pyiceberg (no Spark, no JVM): used by the report and the tests."""

from __future__ import annotations

from pyiceberg.catalog import load_catalog
from pyiceberg.exceptions import NoSuchNamespaceError, NoSuchTableError
from pyiceberg.io import load_file_io
from pyiceberg.table import StaticTable, Table

from registry_lake.config import CatalogSettings, S3Settings


class TableMissingError(LookupError):
    """The table does not exist yet: the stream job creates it on its first run."""


def pyiceberg_s3_properties(s3: S3Settings) -> dict[str, str]:
    props = {"s3.region": s3.region, "s3.force-virtual-addressing": str(not s3.path_style).lower()}
    if s3.endpoint:
        props["s3.endpoint"] = s3.endpoint
    if s3.access_key_id and s3.secret_access_key:
        props["s3.access-key-id"] = s3.access_key_id
        props["s3.secret-access-key"] = s3.secret_access_key
    return props


def _hadoop_table(catalog: CatalogSettings, s3: S3Settings, table: str) -> Table:
    """A Hadoop-catalog table is a directory: version-hint.text names the current metadata file."""
    props = pyiceberg_s3_properties(s3)
    location = f"{catalog.warehouse}/{table.replace('.', '/')}"
    io = load_file_io(props, location)
    hint_file = io.new_input(f"{location}/metadata/version-hint.text")
    if not hint_file.exists():
        raise TableMissingError(f"no table {table} in {catalog.warehouse}")
    with hint_file.open() as hint:
        version = hint.read().decode("utf-8").strip()
    return StaticTable.from_metadata(f"{location}/metadata/v{version}.metadata.json", properties=props)


def _sql_uri(jdbc_uri: str) -> str:
    """Spark's `jdbc:sqlite:/path/x.db` is SQLAlchemy's `sqlite:////path/x.db`: the same catalog tables."""
    if not jdbc_uri.startswith("jdbc:sqlite:"):
        raise ValueError(f"only SQLite JDBC catalogs can be read without Spark, got {jdbc_uri.split(':')[1]}")
    # Connection options in the query (journal_mode=WAL) are a property of the file once set: drop them.
    return "sqlite:///" + jdbc_uri.removeprefix("jdbc:sqlite:").split("?", 1)[0]


def open_table(catalog: CatalogSettings, s3: S3Settings, table: str | None = None) -> Table:
    """Loads `table` (default: the events table) from the catalog the stream job writes to.

    Raises TableMissingError when the job has not created it yet.
    """
    name = table or catalog.table
    if catalog.type == "hadoop":
        return _hadoop_table(catalog, s3, name)
    props = {**pyiceberg_s3_properties(s3), "warehouse": catalog.warehouse}
    if catalog.type == "jdbc":
        cat = load_catalog(catalog.name, type="sql", uri=_sql_uri(catalog.uri or ""), **props)
    else:
        cat = load_catalog(catalog.name, type="rest", uri=catalog.uri or "", **props)
    try:
        return cat.load_table(name)
    except (NoSuchTableError, NoSuchNamespaceError) as err:
        raise TableMissingError(f"no table {name} in the {catalog.type} catalog {catalog.uri}") from err
