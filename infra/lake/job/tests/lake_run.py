"""Runs the real stream job (local Spark, availableNow) and the report command as subprocesses."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

JOB_DIR = Path(__file__).resolve().parents[1]


def run_module(module: str, env: dict[str, str], args: list[str], timeout: int = 300, stderr: bool = True) -> str:
    """Runs `python -m module args` in the job's directory; returns its stdout (and stderr unless told not to)."""
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
    return output if stderr else done.stdout


def run_stream_job(env: dict[str, str]) -> tuple[str, float]:
    """Drains the topic into the table; returns the job's output and how long it took (seconds)."""
    started = time.monotonic()
    output = run_module("registry_lake.stream_job", {**env, "LAKE_TRIGGER": "available-now"}, [], 900)
    return output, time.monotonic() - started


def run_report(env: dict[str, str], now: str, html_file: Path) -> str:
    return run_module("registry_lake.report", env, ["--now", now, "--html", str(html_file)], 300)


def run_spark_sql_report(env: dict[str, str], now: str) -> dict:
    """The report's figures computed by Spark SQL on the lake (registry_lake.spark_sql), as JSON."""
    output = run_module("registry_lake.spark_sql", {**env, "LAKE_DRIVER_MEMORY": "1g"}, ["--now", now], 600)
    return json.loads(output[output.index("{") : output.rindex("}") + 1])
