"""OSV records (the firewall's advisory feed, README "Firewall") as the report reads them, and OSV's version
matching: explicit `versions`, SEMVER ranges by semver 2.0, ECOSYSTEM ranges by the ecosystem's own order (npm:
semver, PyPI: PEP 440). The same rules as libs/policy/firewall/src/lib/osv.ts; GIT ranges and withdrawn records
are ignored, as there.

A feed is a directory of `*.json` files or one file; a file holds one record, a JSON array of them, or
`{"vulns": [...]}`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import semver
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

OSV_ECOSYSTEMS = {"npm": "npm", "PyPI": "pypi"}  # OSV's name -> the lake's registry


class FeedError(Exception):
    """The feed cannot be read: a missing path or a file that is not OSV JSON."""


@dataclass(frozen=True)
class Affected:
    registry: str  # npm | pypi
    package: str  # as the registry keys it: npm exact, PyPI normalized (PEP 503)
    versions: tuple[str, ...]
    ranges: tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # (type, ((event kind, version), ...))


@dataclass(frozen=True)
class Advisory:
    id: str
    summary: str
    known_at: datetime | None  # `published`, else `modified`; None when the record gives neither
    affected: tuple[Affected, ...]


def package_key(registry: str, name: str) -> str:
    return str(canonicalize_name(name)) if registry == "pypi" else name


def _semver(text: str) -> semver.Version | None:
    try:
        return semver.Version.parse(text.removeprefix("v"))
    except ValueError:
        return None


def _pep440(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _parser(range_type: str, registry: str) -> Callable[[str], object | None] | None:
    if range_type == "SEMVER" or (range_type == "ECOSYSTEM" and registry == "npm"):
        return _semver
    if range_type == "ECOSYSTEM" and registry == "pypi":
        return _pep440
    return None  # GIT ranges name commits, not versions


def is_affected(affected: Affected, version: str) -> bool:
    """Listed in `versions`, or inside a range: its events walked in version order ("0" first), `introduced`
    opens, `fixed` closes at that version, `last_affected` closes after it (`limit` is ignored)."""
    if version in affected.versions:
        return True
    for range_type, events in affected.ranges:
        parse = _parser(range_type, affected.registry)
        target = parse(version) if parse else None
        if parse is None or target is None:
            continue
        parsed = [(kind, at, None if at == "0" else parse(at)) for kind, at in events if kind != "limit"]
        ordered = sorted(
            ((kind, at, v) for kind, at, v in parsed if at == "0" or v is not None),
            key=lambda e: (e[1] != "0", e[2] if e[2] is not None else target),
        )
        hit = False
        for kind, _at, bound in ordered:
            reached = bound is None or target >= bound  # "0" is below every version
            if kind in ("introduced", "fixed") and reached:
                hit = kind == "introduced"
            elif kind == "last_affected" and bound is not None and target > bound:
                hit = False
        if hit:
            return True
    return False


def _instant(text: object) -> datetime | None:
    if not isinstance(text, str):
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def advisory_of(record: dict) -> Advisory | None:
    """The report's view of one record; None for a withdrawn one or one naming no npm or PyPI package."""
    if not isinstance(record, dict) or not isinstance(record.get("id"), str) or record.get("withdrawn"):
        return None
    affected = []
    for entry in record.get("affected") or []:
        package = entry.get("package") or {}
        registry, name = OSV_ECOSYSTEMS.get(package.get("ecosystem")), package.get("name")
        if not registry or not isinstance(name, str):
            continue
        ranges = tuple(
            (str(r.get("type")), tuple((k, str(v)) for e in r.get("events") or [] for k, v in e.items()))
            for r in entry.get("ranges") or []
        )
        versions = tuple(str(v) for v in entry.get("versions") or [])
        affected.append(Affected(registry, package_key(registry, name), versions, ranges))
    if not affected:
        return None
    known_at = _instant(record.get("published")) or _instant(record.get("modified"))
    return Advisory(record["id"], str(record.get("summary") or ""), known_at, tuple(affected))


def _records(document: object) -> Iterator[dict]:
    if isinstance(document, dict) and isinstance(document.get("vulns"), list):
        document = document["vulns"]
    yield from document if isinstance(document, list) else [document]


def load_feed(path: Path) -> list[Advisory]:
    """Every usable advisory of the feed, by id (the last file wins for an id given twice)."""
    if not path.exists():
        raise FeedError(f"advisory feed {path} does not exist")
    files = sorted(path.glob("*.json")) if path.is_dir() else [path]
    found: dict[str, Advisory] = {}
    for file in files:
        try:
            document = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as err:
            raise FeedError(f"advisory feed file {file} is not JSON: {err}") from err
        for record in _records(document):
            advisory = advisory_of(record)
            if advisory:
                found[advisory.id] = advisory
    return sorted(found.values(), key=lambda a: a.id)
