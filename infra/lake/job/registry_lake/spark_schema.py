"""Spark types for the event: the JSON schema the stream job parses with (timestamp read as text first)."""

from __future__ import annotations

from pyspark.sql.types import (
    DataType,
    IntegerType,
    LongType,
    MapType,
    StringType,
    StructField,
    StructType,
)

from registry_lake.schema import EVENT_FIELDS

_SPARK_TYPES: dict[str, DataType] = {
    # The JSON carries ISO 8601 text; the job converts it explicitly so a bad value is a dead letter,
    # not a silent null.
    "timestamp": StringType(),
    "string": StringType(),
    "int": IntegerType(),
    "long": LongType(),
    "map<string,string>": MapType(StringType(), StringType()),
}


def event_json_schema() -> StructType:
    """Schema for from_json: every field nullable, so a missing one is detected and dead-lettered."""
    return StructType([StructField(f.name, _SPARK_TYPES[f.kind], True) for f in EVENT_FIELDS])
