"""The firewall's part of a scripted workload (README, "Firewall"), with known counts, on the workload's day
(tests/workload.py): what the registry recorded when it refused or let through releases.

- 09:15 npm `evil-pkg@1.0.1` refused twice by the advisory MAL-2026-7 (403), from 10.0.0.5;
- 10:20 npm `fresh@2.0.0` refused by the cooldown (403) and `fresh`'s packument filtered (200, not a refusal);
- 11:05 PyPI `gone` refused as taken down (410); 11:10 PyPI `fresh-py` let through by a waiver (200, a download).
"""

from __future__ import annotations

from datetime import timedelta

from tests.workload import WEEK_DAY, event


def _at(hour: int, minute: int):
    return WEEK_DAY + timedelta(hours=hour, minutes=minute)


def firewall_events() -> list[dict[str, object]]:
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
