"""The HTML report in a real browser (Debian's headless Chromium): it draws every chart without a console
error, and its screenshots are kept under .test-results/ for a person to look at (no services)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pyarrow.compute as pc
import pytest

from registry_lake.report.html import render_html
from registry_lake.report.osv import load_feed
from registry_lake.report.queries import report_of_events, week_of
from tests.chromium import render_page
from tests.firewall_workload import exposure_events, firewall_events, write_feed
from tests.workload import EMPTY_WEEK_NOW, REPORT_NOW, WEEK_DAY, arrow_table, build_workload

ARTEFACTS = Path(__file__).resolve().parents[4] / ".test-results"
CHARTS_DRAWN = "document.querySelectorAll('.chart .main-svg').length >= 8 && document.fonts.status === 'loaded'"
PAGE_FACTS = {
    "charts": "document.querySelectorAll('.chart .plotly-graph-div').length",
    "bars": "document.querySelectorAll('#downloads-over-time g.point, #top-packages g.point').length",
    "refusal_bars": "document.querySelectorAll('#refusals-over-time g.point, #refusals-by-package g.point').length",
    "exposure_bars": "document.querySelectorAll('#exposure g.point').length",
    "cards": "[...document.querySelectorAll('.card')].map(c => c.innerText.replace(/\\n+/g, ' '))",
    "overflowing": "document.documentElement.scrollWidth > document.documentElement.clientWidth",
}
RANGES = {
    "week": week_of(REPORT_NOW),
    "day": (WEEK_DAY, WEEK_DAY + timedelta(days=1)),
    "empty-week": week_of(EMPTY_WEEK_NOW),
}


@pytest.mark.parametrize("name", RANGES)
def test_the_page_renders_in_chromium_without_console_errors(name: str, tmp_path: Path) -> None:
    start, end = RANGES[name]
    # the exposed downloads happened the week before: the exposure reads the whole table, not the range
    history = arrow_table(build_workload().events + firewall_events() + exposure_events(days_earlier=7))
    events = history.filter(pc.and_(pc.greater_equal(history["timestamp"], start), pc.less(history["timestamp"], end)))
    page = tmp_path / "report.html"
    feed = ("fixture feed", load_feed(write_feed(tmp_path / "feed")))
    page.write_text(render_html(report_of_events(events, start, end, feed=feed, history=history)), encoding="utf-8")
    screenshot = ARTEFACTS / f"lake-report-{name}.png"
    rendered = render_page(page, screenshot, CHARTS_DRAWN, PAGE_FACTS)
    assert rendered.errors == []
    assert rendered.values["charts"] == 8
    assert rendered.values["overflowing"] is False
    assert screenshot.stat().st_size > 20_000
    cards = rendered.values["cards"]
    if name == "empty-week":
        assert rendered.values["bars"] == rendered.values["refusal_bars"] == 0
        assert rendered.values["exposure_bars"] == 5
        assert "POLICY REFUSALS 0 no firewall events" in cards  # type: ignore[operator]
    else:
        assert rendered.values["bars"] >= 8 + 2  # type: ignore[operator]
        assert any(c.startswith("NPM CACHE HIT RATIO 63.6%") for c in cards)  # type: ignore[union-attr]
        assert "POLICY REFUSALS 4 403/410 answers, waivers excluded" in cards  # type: ignore[operator]
        # over time: one bar per registry and bucket (6-hour buckets a week, hours a day); by package: 3
        assert rendered.values["refusal_bars"] == {"week": 2, "day": 3}[name] + 3
        assert rendered.values["exposure_bars"] == 5  # one per advisory and package


def test_console_errors_fail_the_check(tmp_path: Path) -> None:
    """Negative control: the browser check sees console.error and uncaught exceptions."""
    page = tmp_path / "broken.html"
    page.write_text('<p>x</p><script>console.error("boom"); null.f();</script>', encoding="utf-8")
    rendered = render_page(page, tmp_path / "broken.png", "document.readyState === 'complete'", {})
    assert [e.split(":")[0] for e in rendered.errors] == ["console.error", "uncaught"]
