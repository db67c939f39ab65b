"""`python -m registry_lake.duckdb_recipe [--now ISO | --from ISO --to ISO]`: prints a DuckDB SQL script over the
lake's Iceberg table for a data team: load the extensions (PyPI wheels, offline), the object store secret (the
secret key as a placeholder: put yours in), the range, then the lake's queries (infra/lake/sql), unchanged.

`duckdb.connect().execute(script)` runs it all (the last query's rows are the result), or run it piece by piece.
"""

from __future__ import annotations

import os
import sys
from datetime import UTC, datetime

from registry_lake.config import S3Settings, load_s3_settings
from registry_lake.duckdb_engine import SECRET_PLACEHOLDER, setup_statements
from registry_lake.lake_sql import QUERIES, SEMANTICS, range_view, sql_text
from registry_lake.report.__main__ import open_lake_table, parse_range_args, range_parser, report_range


def recipe(metadata_location: str, s3: S3Settings, start: datetime, end: datetime, reveal: bool = False) -> str:
    """The script: setup, `package_events` as [start, end) of the table, the semantics view, every query."""
    statements = [
        "SET TimeZone = 'UTC'",
        *setup_statements(metadata_location, s3, reveal),
        range_view("lake_events", start, end),
        sql_text(SEMANTICS).strip(),
        *(f"-- {name}\n{sql_text(name).strip()}" for name in QUERIES),
    ]
    return "".join(f"{s};\n\n" for s in statements)


def main(argv: list[str] | None = None) -> int:
    parser = range_parser("registry_lake.duckdb_recipe", __doc__)
    args = parse_range_args(parser, sys.argv[1:] if argv is None else argv)
    start, end = report_range(args, datetime.now(UTC))
    table = open_lake_table()
    sys.stdout.write(f"-- DuckDB recipe for {table.metadata_location}\n-- Replace {SECRET_PLACEHOLDER}.\n\n")
    sys.stdout.write(recipe(table.metadata_location, load_s3_settings(os.environ), start, end))
    return 0


if __name__ == "__main__":
    sys.exit(main())
