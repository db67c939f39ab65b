"""A scripted audit workload with known counts.

Everything happens on Tuesday 2026-11-24 between 09:00 and 12:00 UTC, except one download of the week
before, which the weekly report must leave out; the week of EMPTY_WEEK_NOW has no events at all. Besides plain
downloads it has what real clients do (README, "Audit events"): uv's HEAD and range requests before it
downloads a wheel, npm's web-login probe (a 404), a wrong password with the claimed user, and downloads of
private packages. The expected numbers are written out by hand in the tests.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pyarrow as pa

from registry_lake.schema import FIELD_NAMES

WEEK_DAY = datetime(2026, 11, 24, tzinfo=UTC)  # a Tuesday
REPORT_NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PREVIOUS_WEEK = datetime(2026, 11, 17, 9, 30, tzinfo=UTC)
EMPTY_WEEK_NOW = datetime(2026, 11, 11, 12, 0, tzinfo=UTC)

# (registry, package, source, hour, count, size of each)
DOWNLOADS = (
    ("npm", "lodash", "cache", 9, 3, 1000),
    ("npm", "lodash", "cache", 10, 2, 1000),
    ("npm", "lodash", "upstream", 9, 1, 1000),
    ("npm", "react", "cache", 10, 2, 2000),
    ("npm", "react", "upstream", 11, 2, 2000),
    ("npm", "@scope/pkg", "upstream", 11, 1, 500),
    ("pypi", "requests", "cache", 9, 4, 3000),
    ("pypi", "requests", "upstream", 10, 1, 3000),
    ("pypi", "numpy", "cache", 11, 1, 10000),
    ("pypi", "numpy", "upstream", 11, 2, 10000),
)
# What uv does for a wheel without PEP 658 metadata, at 10:00 from 10.0.0.2, for `six` (5000-byte wheel):
# (status, size sent, extra) -- two HEADs, two range reads of the zip's tail, then the whole file twice.
SIX_SIZE = 5000
UV_SIX = (
    (200, 0, {"method": "HEAD"}, "upstream"),
    (206, 64, {"range": "bytes=-64"}, "upstream"),
    (206, 2048, {"range": "bytes=2952-4999"}, "cache"),
    (200, SIX_SIZE, {}, "upstream"),
    (200, 0, {"method": "HEAD"}, "cache"),
    (200, SIX_SIZE, {}, "cache"),
)
# Private packages, served from the store at 11:00 from 10.0.0.3: (registry, package, count, size).
PRIVATE_DOWNLOADS = (("pypi", "private-pkg", 2, 700), ("npm", "@corp/internal", 1, 300))
# (event_type, user, status)
LOGINS_AND_UPLOADS = (
    ("npm.user.login", "alice", 200),
    ("npm.user.login", "alice", 401),
    ("npm.user.login", "alice", 401),
    ("npm.user.login", "bob", 401),
    ("npm.package.publish", "bob", 409),
    ("npm.package.publish", "dave", 201),
    ("pypi.package.upload", "carol", 403),
    ("pypi.package.upload", "carol", 201),
)
ACTION = {
    "npm.package.download": "download",
    "npm.package.download.upstream": "download",
    "pypi.package.download": "download",
    "pypi.package.download.upstream": "download",
    "npm.user.login": "login",
    "npm.package.publish": "upload",
    "pypi.package.upload": "upload",
    "npm.package.metadata": "metadata",
    "pypi.package.metadata": "metadata",
    "pypi.index.list": "metadata",
    "npm.dist-tags.update": "metadata",
    "npm.search": "search",
}
MALFORMED = (b'{"timestamp": "2026-11-24T09:00:00.000Z", "event_type": ', b'{"registry": "npm", "action": "download"}')


def event(
    event_type: str,
    at: datetime,
    *,
    package: str | None,
    status: int,
    source: str | None = None,
    size: int | None = None,
    extra: dict[str, str] | None = None,
    remote_addr: str = "10.0.0.1",
) -> dict[str, object]:
    """One event exactly as the audit gateway writes it: these fields, in this order."""
    registry = event_type.split(".", maxsplit=1)[0]
    return {
        "timestamp": at.strftime("%Y-%m-%dT%H:%M:%S.") + f"{at.microsecond // 1000:03d}Z",
        "event_type": event_type,
        "registry": registry,
        "package": package,
        "version": "1.0.0" if package else None,
        "filename": f"{package}-1.0.0.tgz" if package and ACTION[event_type] in ("download", "upload") else None,
        "action": ACTION[event_type],
        "source": source,
        "user_agent": f"{registry}-client/1",
        "remote_addr": remote_addr,
        "status_code": status,
        "size": size,
        "extra": {"event_id": str(uuid.uuid4()), "request_id": str(uuid.uuid4()), **(extra or {})},
    }


@dataclass
class Workload:
    events: list[dict[str, object]] = field(default_factory=list)
    duplicates: list[dict[str, object]] = field(default_factory=list)

    def messages(self) -> list[tuple[str, bytes]]:
        """(key, value) in produce order: the events, then re-sent copies, then the malformed ones."""
        out = [(f"{e['registry']}:{e['package']}", json.dumps(e).encode()) for e in self.events + self.duplicates]
        return out + [("npm:malformed", raw) for raw in MALFORMED]


def _download_type(registry: str, source: str) -> str:
    return f"{registry}.package.download" + (".upstream" if source == "upstream" else "")


def build_workload() -> Workload:
    w = Workload()
    for registry, package, source, hour, count, size in DOWNLOADS:
        for i in range(count):
            at = WEEK_DAY + timedelta(hours=hour, minutes=7 * i, milliseconds=123)
            w.events.append(
                event(_download_type(registry, source), at, package=package, status=200, source=source, size=size)
            )
    for i, (event_type, user, status) in enumerate(LOGINS_AND_UPLOADS):
        at = WEEK_DAY + timedelta(hours=9, minutes=i)
        package = None if event_type == "npm.user.login" else "private-pkg"
        w.events.append(event(event_type, at, package=package, status=status, extra={"user": user}))
    at = WEEK_DAY + timedelta(hours=10)
    for i, (status, size, extra, source) in enumerate(UV_SIX):
        at_i = at + timedelta(seconds=i)
        w.events.append(
            event(_download_type("pypi", source), at_i, package="six", status=status, source=source, size=size,
                  extra=extra, remote_addr="10.0.0.2")
        )
    for registry, package, count, size in PRIVATE_DOWNLOADS:
        for i in range(count):
            at_i = WEEK_DAY + timedelta(hours=11, minutes=30 + i)
            private = {"origin": "private", "user": "dave"}
            w.events.append(
                event(f"{registry}.package.download", at_i, package=package, status=200, source="cache", size=size,
                      extra=private, remote_addr="10.0.0.3")
            )
    w.events += [
        event("npm.package.download", at, package="lodash", status=200, source="cache", size=0,
              extra={"method": "HEAD"}),
        # npm's web-login probe: the registry offers no web login (404); npm then logs in the classic way.
        event("npm.user.login", at, package=None, status=404, extra={"operation": "web-login"}),
        # twine with a wrong password: refused, with the user name the client claimed.
        event("pypi.package.upload", at, package="private-pkg", status=403, extra={"user": "erin"},
              remote_addr="192.0.2.7"),
        event("npm.package.download.upstream", at, package="missing", status=404),  # failed: not a download
        event("npm.package.metadata", at, package="lodash", status=200, size=4000),
        event("pypi.package.metadata", at, package="requests", status=200, size=900),
        event("pypi.index.list", at, package=None, status=200, size=100),
        event("npm.dist-tags.update", at, package="lodash", status=201, extra={"tag": "beta"}),
        event("npm.search", at, package=None, status=200, extra={"text": "lod"}),
        event("npm.package.download", PREVIOUS_WEEK, package="lodash", status=200, source="cache", size=1000),
    ]
    # At-least-once delivery: three events arrive twice (same event_id, a later offset).
    downloads = sum(d[4] for d in DOWNLOADS)
    w.duplicates = [w.events[0], w.events[downloads + 1], w.events[-7]]  # cache hit, failed login, 404
    return w


ARROW_SCHEMA = pa.schema(
    [
        ("timestamp", pa.timestamp("us", tz="UTC")),
        *[(n, pa.string()) for n in FIELD_NAMES[1:10]],
        ("status_code", pa.int32()),
        ("size", pa.int64()),
        ("extra", pa.map_(pa.string(), pa.string())),
    ]
)


def arrow_table(events: list[dict[str, object]]) -> pa.Table:
    """The events as the table's rows (what a pyiceberg scan returns), without Kafka or Spark."""
    rows = [
        {**e, "timestamp": datetime.fromisoformat(str(e["timestamp"])), "extra": list(e["extra"].items())}
        for e in events
    ]
    return pa.Table.from_pylist(rows, schema=ARROW_SCHEMA)
