"""`python -m registry_lake.report [--html out.html] [--now ISO] [--top N]`: prints the report, writes the page."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from registry_lake.config import ConfigError, load_catalog_settings, load_s3_settings
from registry_lake.iceberg_reader import open_table
from registry_lake.report.html import render_html
from registry_lake.report.queries import build_report
from registry_lake.report.terminal import render_terminal


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="registry_lake.report", description=__doc__)
    parser.add_argument("--html", type=Path, help="write the HTML page with charts to this file")
    parser.add_argument(
        "--now",
        type=datetime.fromisoformat,
        default=datetime.now(UTC),
        help="report the ISO week containing this instant (default: now)",
    )
    parser.add_argument("--top", type=int, default=10, help="packages per registry (default 10)")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        catalog, s3 = load_catalog_settings(os.environ), load_s3_settings(os.environ)
    except ConfigError as err:
        print(f"invalid configuration: {err}", file=sys.stderr)
        return 2
    now = args.now if args.now.tzinfo else args.now.replace(tzinfo=UTC)
    report = build_report(open_table(catalog, s3), now, args.top)
    sys.stdout.write(render_terminal(report))
    if args.html:
        args.html.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.html.with_name(f".{args.html.name}.tmp")
        tmp.write_text(render_html(report), encoding="utf-8")
        tmp.replace(args.html)  # never a half-written page
        print(f"\nHTML report: {args.html}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
