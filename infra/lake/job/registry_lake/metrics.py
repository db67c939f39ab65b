"""Cumulative counters of the stream job, kept in a small JSON file (replaced atomically) and logged."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

log = logging.getLogger("registry_lake")

COUNTERS = ("batches", "events_appended", "dead_letters", "batches_replayed")


def read_counters(path: Path) -> dict[str, int]:
    if not path.exists():
        return dict.fromkeys(COUNTERS, 0)
    data = json.loads(path.read_text(encoding="utf-8"))
    return {name: int(data.get(name, 0)) for name in COUNTERS}


def add_to_counters(path: Path, **increments: int) -> dict[str, int]:
    """Adds to the counters and rewrites the file via rename, so a reader never sees half a file."""
    counters = read_counters(path)
    for name, value in increments.items():
        counters[name] += value
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {**counters, "updated_at": datetime.now(UTC).isoformat(timespec="milliseconds")}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(payload, out, indent=2)
        out.write("\n")
    os.replace(tmp, path)
    return counters
