"""Plain-text tables of the report, for a terminal (no colours, so it also reads well in CI logs)."""

from __future__ import annotations

from collections.abc import Sequence

from registry_lake.report.queries import Report
from registry_lake.report.traffic import BUCKET_LABELS, bucket_width, refusal_buckets
from registry_lake.report.units import count, human_bytes, instant, percent


def format_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    cells = [[str(c) for c in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    return "\n".join([title, body[0], line, *body[1:]] + ([] if rows else ["(none)"]))


def policy_refusals(report: Report) -> str:
    """Refusals by the firewall; says so when no firewall decision was recorded at all."""
    t = report.totals
    return count(t.policy_refusals) if t.policy_decisions else "0 (no firewall events)"


def refusal_rows(report: Report) -> tuple[str, list[list[str]]]:
    """The refusals table's bucket label and rows (the charts' bucket width), the same in terminal and page."""
    bucket = bucket_width(report.start, report.end)
    rows = [
        [f"{at:%Y-%m-%d %H:00}", policy, registry, package, advisory or "-", count(n)]
        for (at, registry, policy, package, advisory), n in refusal_buckets(report, bucket).items()
    ]
    return BUCKET_LABELS[bucket], rows


NO_FEED = "no advisory feed given (--advisories or REGISTRY_ADVISORY_FEED)"
EXPOSURE_TITLE = "Exposure: downloads of affected versions before each advisory was published"


def exposure_summary_rows(report: Report) -> list[list[str]]:
    e = report.exposure
    return [
        [a.advisory, instant(a.known_at) if a.known_at else "(no date: every download)", ", ".join(a.packages),
         count(a.downloads), count(a.users), count(a.addresses)]
        for a in (e.advisories if e else [])
    ]


def exposure_download_rows(report: Report) -> list[list[str]]:
    e = report.exposure
    return [
        [d.advisory, f"{d.at:%Y-%m-%d %H:%M:%S}", d.registry, d.package, d.version, d.user, d.remote_addr, d.source]
        for d in (e.downloads if e else [])
    ]


EXPOSURE_SUMMARY_HEADERS = ["advisory", "published", "packages", "exposed downloads", "users", "addresses"]
EXPOSURE_DOWNLOAD_HEADERS = ["advisory", "when (UTC)", "registry", "package", "version", "user", "address", "source"]


def exposure_sections(report: Report) -> list[str]:
    if report.exposure is None:
        return [f"{EXPOSURE_TITLE}\n{NO_FEED}"]
    return [
        format_table(f"{EXPOSURE_TITLE} (feed {report.exposure.feed}, whole table)", EXPOSURE_SUMMARY_HEADERS,
                     exposure_summary_rows(report)),
        format_table("Exposed downloads", EXPOSURE_DOWNLOAD_HEADERS, exposure_download_rows(report)),
    ]


def exposed_downloads(report: Report) -> str:
    return count(len(report.exposure.downloads)) if report.exposure else "n/a (no advisory feed)"


def render_terminal(report: Report) -> str:
    t = report.totals
    bucket_label, refusals = refusal_rows(report)
    header = (
        f"Audit report, {instant(report.start)} to {instant(report.end)} (generated {instant(report.generated_at)})"
    )
    if report.is_empty:
        header += "\nNo audit events in this range."
    sections = [
        header,
        format_table(
            "Headline",
            ["figure", "value"],
            [
                ("downloads", count(t.downloads)),
                ("bytes sent", human_bytes(t.bytes)),
                ("unique users", count(t.unique_users)),
                ("unique addresses", count(t.unique_addresses)),
                ("failed logins", count(t.failed_logins)),
                ("failed uploads", count(t.failed_uploads)),
                ("policy refusals", policy_refusals(report)),
                ("waivers (let through)", count(t.policy_waivers)),
                ("exposed downloads", exposed_downloads(report)),
            ],
        ),
        format_table(
            "Registries",
            ["registry", "downloads", "bytes", "cache hit ratio", "private downloads", "failed logins",
             "failed uploads"],
            [
                (
                    r.registry,
                    count(r.downloads),
                    human_bytes(r.bytes),
                    percent(r.cache_hit_ratio),
                    count(r.private_downloads),
                    count(r.failed_logins),
                    count(r.failed_uploads),
                )
                for r in report.registries
            ],
        ),
        format_table(
            "Most downloaded packages",
            ["registry", "package", "downloads", "bytes"],
            [(p.registry, p.package, count(p.downloads), human_bytes(p.bytes)) for p in report.top_packages],
        ),
        format_table(
            "Pull-through downloads by source",
            ["registry", "source", "downloads", "share"],
            [(s.registry, s.source, count(s.downloads), percent(s.share)) for s in report.cache_shares],
        ),
        format_table(
            "Hourly download traffic",
            ["hour (UTC)", "registry", "downloads", "bytes"],
            [
                (f"{h.hour:%Y-%m-%d %H:00}", h.registry, count(h.downloads), human_bytes(h.bytes))
                for h in report.hourly_traffic
            ],
        ),
        format_table(
            "Failed logins and uploads by claimed user",
            ["user", "action", "failures"],
            [(f.user, f.action, count(f.failures)) for f in report.failures_by_user],
        ),
        format_table(
            f"Policy refusals by policy and package, per {bucket_label}",
            [f"{bucket_label} from (UTC)", "policy", "registry", "package", "advisory", "refusals"],
            refusals,
        ),
        *exposure_sections(report),
    ]
    return "\n\n".join(sections) + "\n"
