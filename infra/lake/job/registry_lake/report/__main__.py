"""`python -m registry_lake.report [--html out.html] [--now ISO | --from ISO --to ISO] [--top N]
[--advisories DIR_OR_FILE]`.

Prints the report and writes the page. A range without events gives an empty report (zeros), never an
error; a lake the job has not created yet gives one line saying so. With an OSV feed (`--advisories`, default
REGISTRY_ADVISORY_FEED, the firewall's own setting, when it is a directory, a file or a file: URL) the report
adds the exposure of every advisory.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote, urlparse

from pyiceberg.table import Table

from registry_lake.config import ConfigError, load_catalog_settings, load_s3_settings
from registry_lake.iceberg_reader import TableMissingError, open_table
from registry_lake.report.html import render_html
from registry_lake.report.osv import Advisory, FeedError, load_feed
from registry_lake.report.queries import build_report, week_of
from registry_lake.report.terminal import render_terminal


def _instant(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def range_parser(prog: str, description: str | None) -> argparse.ArgumentParser:
    """The options every lake command shares: the range to report on, and how many packages per registry."""
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--now", type=_instant, help="report the ISO week containing this instant (default: now)")
    parser.add_argument("--from", dest="start", type=_instant, help="start of the range (inclusive), with --to")
    parser.add_argument("--to", dest="end", type=_instant, help="end of the range (exclusive), with --from")
    parser.add_argument("--top", type=int, default=10, help="packages per registry (default 10)")
    return parser


def parse_range_args(parser: argparse.ArgumentParser, argv: list[str]) -> argparse.Namespace:
    args = parser.parse_args(argv)
    if (args.start is None) != (args.end is None):
        parser.error("--from and --to go together")
    if args.start is not None and (args.now is not None or args.start >= args.end):
        parser.error("--from must be before --to, and excludes --now")
    return args


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = range_parser("registry_lake.report", __doc__)
    parser.add_argument("--html", type=Path, help="write the HTML page with charts to this file")
    parser.add_argument(
        "--advisories",
        default=os.environ.get("REGISTRY_ADVISORY_FEED") or None,
        help="OSV feed (a directory of *.json or one file) for the exposure (default: REGISTRY_ADVISORY_FEED)",
    )
    return parse_range_args(parser, argv)


def load_advisories(location: str | None) -> tuple[str, list[Advisory]] | None:
    """The feed's name and advisories; exits with one line (status 2) when it cannot be read."""
    if not location:
        return None
    url = urlparse(location)
    if url.scheme in ("http", "https"):
        print(f"--advisories {location}: the report reads a directory or a file; save the feed first", file=sys.stderr)
        raise SystemExit(2)
    path = Path(unquote(url.path)) if url.scheme == "file" else Path(location)
    try:
        return str(path), load_feed(path)
    except FeedError as err:
        print(f"invalid advisory feed: {err}", file=sys.stderr)
        raise SystemExit(2) from err


def report_range(args: argparse.Namespace, now: datetime) -> tuple[datetime, datetime]:
    return (args.start, args.end) if args.start else week_of(args.now or now)


def open_lake_table() -> Table:
    """The events table of the configured lake; exits with one line when the setup is wrong or the table is
    missing (exit status 2 and 3)."""
    try:
        return open_table(load_catalog_settings(os.environ), load_s3_settings(os.environ))
    except ConfigError as err:
        print(f"invalid configuration: {err}", file=sys.stderr)
        raise SystemExit(2) from err
    except TableMissingError as err:
        print(f"{err}: run the lake job first (tools/lake/run-job.sh)", file=sys.stderr)
        raise SystemExit(3) from err


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    generated_at = datetime.now(UTC)
    start, end = report_range(args, generated_at)
    feed = load_advisories(args.advisories)
    report = build_report(open_lake_table(), start, end, generated_at, args.top, feed=feed)
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
