"""Shared fixtures: the real services' settings (from .services/env) and unique names per run."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from pyspark.sql import SparkSession

SERVICE_VARIABLES = ("KAFKA_BROKERS", "S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")


@pytest.fixture(scope="session")
def services_env() -> dict[str, str]:
    """The environment of the real Kafka broker and S3 server; fails (never skips) when they are missing."""
    missing = [name for name in SERVICE_VARIABLES if not os.environ.get(name)]
    if missing:
        pytest.fail(f"{', '.join(missing)} not set: run `npm run services:up` and source .services/env", False)
    return dict(os.environ)


@pytest.fixture(scope="session")
def run_id() -> str:
    return f"lake-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="session")
def local_spark() -> Iterator[SparkSession]:
    """A small local Spark (batch, no connectors) for the parsing rules and the SQL files."""
    session = (
        SparkSession.builder.master("local[1]")
        .appName("registry-lake-unit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    yield session
    session.stop()
