"""Runs the real stream job (local Spark, availableNow) and the report command as subprocesses."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

JOB_DIR = Path(__file__).resolve().parents[1]


def _run_module(module: str, env: dict[str, str], args: list[str], timeout: int) -> str:
    done = subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=JOB_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"{module} exited {done.returncode}:\n{output[-4000:]}"
    return output


def run_stream_job(env: dict[str, str]) -> tuple[str, float]:
    """Drains the topic into the table; returns the job's output and how long it took (seconds)."""
    started = time.monotonic()
    output = _run_module("registry_lake.stream_job", {**env, "LAKE_TRIGGER": "available-now"}, [], 900)
    return output, time.monotonic() - started


def run_report(env: dict[str, str], now: str, html_file: Path) -> str:
    return _run_module("registry_lake.report", env, ["--now", now, "--html", str(html_file)], 300)
