"""The DDL runner's statement splitting and the counters file (no services, no JVM)."""

from __future__ import annotations

import json
from pathlib import Path

from registry_lake.config import load_config
from registry_lake.metrics import add_to_counters, read_counters
from registry_lake.tables import DDL_FILES, statements_of


def test_each_ddl_file_is_one_create_statement_without_comments() -> None:
    ddl_dir = load_config({"KAFKA_BROKERS": "x"}).ddl_dir
    for name in DDL_FILES:
        statements = statements_of((ddl_dir / name).read_text())
        assert len(statements) == 1, name
        assert statements[0].startswith("CREATE TABLE IF NOT EXISTS audit.")
        assert "--" not in statements[0]


def test_counters_add_up_across_runs(tmp_path: Path) -> None:
    path = tmp_path / "metrics" / "lake.json"
    assert read_counters(path)["events_appended"] == 0
    add_to_counters(path, batches=1, events_appended=5, dead_letters=1)
    counters = add_to_counters(path, batches=1, events_appended=2)
    assert (counters["batches"], counters["events_appended"], counters["dead_letters"]) == (2, 7, 1)
    assert json.loads(path.read_text())["events_appended"] == 7
    assert [p.name for p in path.parent.iterdir()] == ["lake.json"]  # no temp file left behind
