"""Plain-text tables of the report, for a terminal (no colours, so it also reads well in CI logs)."""

from __future__ import annotations

from collections.abc import Sequence

from registry_lake.report.queries import Report, cache_hit_ratio


def human_bytes(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def format_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([title, body[0], line, *body[1:]] + ([] if rows else ["(none)"]))


def render_terminal(report: Report) -> str:
    registries = sorted({s.registry for s in report.cache_shares})
    sections = [
        f"Audit report for the week {report.week_start:%Y-%m-%d} to {report.week_end:%Y-%m-%d} (UTC)",
        format_table(
            "Most downloaded packages",
            ["registry", "package", "downloads", "bytes"],
            [(t.registry, t.package, t.downloads, human_bytes(t.bytes)) for t in report.top_packages],
        ),
        format_table(
            "Cache hit ratio",
            ["registry", "source", "downloads", "share"],
            [(s.registry, s.source, s.downloads, f"{s.share:.1%}") for s in report.cache_shares]
            + [(r, "hit ratio", "", f"{cache_hit_ratio(report.cache_shares, r):.1%}") for r in registries],
        ),
        format_table(
            "Hourly download traffic",
            ["hour (UTC)", "registry", "downloads", "bytes"],
            [
                (f"{h.hour:%Y-%m-%d %H:00}", h.registry, h.downloads, human_bytes(h.bytes))
                for h in report.hourly_traffic
            ],
        ),
        format_table(
            "Failed logins and uploads by user",
            ["user", "action", "failures"],
            [(f.user, f.action, f.failures) for f in report.failures_by_user],
        ),
    ]
    return "\n\n".join(sections) + "\n"
