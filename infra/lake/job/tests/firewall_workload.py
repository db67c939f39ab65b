"""The firewall's part of a scripted workload (README, "Firewall"), with known counts, on the workload's day
(tests/workload.py): what the registry recorded when it refused or let through releases.

- 09:15 npm `evil-pkg@1.0.1` refused twice by the advisory MAL-2026-7 (403), from 10.0.0.5;
- 10:20 npm `fresh@2.0.0` refused by the cooldown (403) and `fresh`'s packument filtered (200, not a refusal);
- 11:05 PyPI `gone` refused as taken down (410); 11:10 PyPI `fresh-py` let through by a waiver (200, a download).
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from tests.workload import WEEK_DAY, event


def _at(hour: int, minute: int):
    return WEEK_DAY + timedelta(hours=hour, minutes=minute)


def firewall_events(days_earlier: int = 0) -> list[dict[str, object]]:
    """The firewall's decisions, on the workload's day or that many days before it."""
    return [_earlier(e, days_earlier) for e in _firewall_events()]


def _earlier(e: dict[str, object], days: int) -> dict[str, object]:
    at = datetime.fromisoformat(str(e["timestamp"])) - timedelta(days=days)
    return {**e, "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z"}


def _firewall_events() -> list[dict[str, object]]:
    advisory = {"policy": "advisory", "advisory": "MAL-2026-7", "user": "alice"}
    return [
        *(
            event("npm.package.download", _at(9, 15 + i), package="evil-pkg", status=403, size=0, extra=advisory,
                  remote_addr="10.0.0.5")
            for i in range(2)
        ),
        event("npm.package.download.upstream", _at(10, 20), package="fresh", status=403, size=0,
              extra={"policy": "cooldown"}),
        event("npm.package.metadata", _at(10, 21), package="fresh", status=200, size=800,
              extra={"policy": "cooldown"}),
        event("pypi.package.download", _at(11, 5), package="gone", status=410, size=0, extra={"policy": "takedown"}),
        event("pypi.package.download.upstream", _at(11, 10), package="fresh-py", status=200, source="upstream",
              size=400, extra={"policy": "waiver"}),
    ]


# --- Exposure: an OSV feed and the downloads before it (README, "The report") ---------------------------------
# (registry, package, version, hour, minute, user, address, source)
EXPOSURE_DOWNLOADS = (
    ("npm", "evil-pkg", "1.0.1", 8, 10, "alice", "10.0.0.5", "upstream"),  # exposed (MAL-2026-7, listed)
    ("npm", "evil-pkg", "1.0.0", 8, 30, "alice", "10.0.0.5", "cache"),  # not listed
    ("npm", "evil-pkg", "1.0.1", 8, 40, "bob", "10.0.0.6", "cache"),  # exposed
    ("npm", "evil-pkg", "1.0.1", 9, 5, "carol", "10.0.0.7", "cache"),  # after MAL-2026-7 was published
    ("npm", "minimist", "4.17.20", 10, 0, "dave", "10.0.0.8", "cache"),  # exposed (GHSA: < 4.17.21)
    ("npm", "minimist", "4.17.21", 10, 5, "dave", "10.0.0.8", "upstream"),  # the fix
    ("npm", "minimist", "4.17.21-rc.1", 10, 10, "dave", "10.0.0.8", "upstream"),  # exposed: a prerelease of the fix
    ("npm", "minimist", "4.9.0", 10, 15, "erin", "10.0.0.9", "cache"),  # exposed: 4.9 < 4.17 (not by text order)
    ("pypi", "django-thing", "1.2", 10, 30, "alice", "10.0.0.5", "upstream"),  # exposed (PYSEC: [1.0, 1.10))
    ("pypi", "django-thing", "1.10", 10, 31, "alice", "10.0.0.5", "upstream"),  # the fix (1.10 > 1.2)
    ("pypi", "django-thing", "1.10rc1", 10, 32, "bob", "10.0.0.6", "cache"),  # exposed: before 1.10 by PEP 440
    ("pypi", "django-thing", "0.9", 10, 33, "bob", "10.0.0.6", "cache"),  # before `introduced`
    ("pypi", "old-lib", "2.1", 10, 40, "carol", "10.0.0.7", "cache"),  # exposed (last_affected 2.1)
    ("pypi", "old-lib", "2.1.1", 10, 41, "carol", "10.0.0.7", "cache"),  # after last_affected
    ("npm", "nodate", "0.1.0", 11, 0, "erin", "10.0.0.9", "upstream"),  # exposed: a record without dates
)
FEED_RECORDS = {
    # one record per file, an array, and {"vulns": [...]}: the three shapes the firewall reads
    "mal.json": {
        "id": "MAL-2026-7", "summary": "Malicious code in evil-pkg", "published": "2026-11-24T09:00:00Z",
        "modified": "2026-11-24T09:30:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "evil-pkg"}, "versions": ["1.0.1"]}],
    },
    "ghsa.json": [
        {
            "id": "GHSA-aaaa-bbbb-cccc", "summary": "Prototype pollution in minimist",
            "published": "2026-11-24T12:00:00Z",
            "affected": [{"package": {"ecosystem": "npm", "name": "minimist"},
                          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.21"}]}]}],
        },
        {"id": "GHSA-withdrawn", "withdrawn": "2026-11-20T00:00:00Z", "published": "2026-11-19T00:00:00Z",
         "affected": [{"package": {"ecosystem": "npm", "name": "minimist"}, "versions": ["4.17.20"]}]},
        {"id": "GHSA-git-only", "published": "2026-11-25T00:00:00Z",
         "affected": [{"package": {"ecosystem": "npm", "name": "minimist"},
                       "ranges": [{"type": "GIT", "repo": "x", "events": [{"introduced": "0"}]}]}]},
    ],
    "pysec.json": {
        "vulns": [
            {
                "id": "PYSEC-2026-1", "modified": "2026-11-24T12:00:00Z",  # no `published`: `modified` is used
                "affected": [
                    {"package": {"ecosystem": "PyPI", "name": "Django_Thing"},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.0"}, {"fixed": "1.10"}]}]},
                    {"package": {"ecosystem": "PyPI", "name": "old-lib"},
                     "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "2.0"}, {"last_affected": "2.1"}]}]},
                ],
            },
            {"id": "MAL-2026-9", "affected": [{"package": {"ecosystem": "npm", "name": "nodate"},
                                               "versions": ["0.1.0"]}]},
            {"id": "RUSTSEC-2026-1", "published": "2026-11-24T12:00:00Z",
             "affected": [{"package": {"ecosystem": "RubyGems", "name": "x"}, "versions": ["1.0.0"]}]},
        ]
    },
}


def exposure_events(days_earlier: int = 0) -> list[dict[str, object]]:
    """The downloads of EXPOSURE_DOWNLOADS, on the workload's day or that many days before it."""
    out = []
    for registry, package, version, hour, minute, user, address, source in EXPOSURE_DOWNLOADS:
        kind = f"{registry}.package.download" + (".upstream" if source == "upstream" else "")
        at = _at(hour, minute) - timedelta(days=days_earlier)
        e = event(kind, at, package=package, status=200, source=source, size=100,
                  extra={"user": user}, remote_addr=address)
        out.append({**e, "version": version, "filename": f"{package}-{version}.tgz"})
    return out


def write_feed(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, document in FEED_RECORDS.items():
        (directory / name).write_text(json.dumps(document), encoding="utf-8")
    return directory
