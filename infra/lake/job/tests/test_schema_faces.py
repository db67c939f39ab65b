"""The event's faces stay equal: the lake's field list, the Kafka JSON fields of the audit
event lib (AUDIT_EVENT_FIELDS), the proto message, the Avro file and the Iceberg DDL.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from registry_lake.schema import ACTIONS, EVENT_FIELDS, EVENT_TYPES, FIELD_NAMES, REQUIRED_FIELDS
from registry_lake.spark_schema import event_json_schema

REPO = Path(__file__).resolve().parents[4]
AUDIT_EVENT_TS = REPO / "libs/audit/event/src/lib/audit-event.ts"
PROTO = REPO / "proto/registry/audit/v1/audit.proto"
AVRO = REPO / "infra/avro/package-event.avsc"
DDL = REPO / "infra/lake/ddl/package_events.sql"

AVRO_TYPES = {
    "timestamp": {"type": "long", "logicalType": "timestamp-millis"},
    "string": "string",
    "int": "int",
    "long": "long",
    "map<string,string>": {"type": "map", "values": "string"},
}
ICEBERG_TYPES = {
    "timestamp": "TIMESTAMP",
    "string": "STRING",
    "int": "INT",
    "long": "BIGINT",
    "map<string,string>": "MAP<STRING, STRING>",
}
PROTO_TYPES = {
    "timestamp": "string",
    "string": "string",
    "int": "int32",
    "long": "int64",
    "map<string,string>": "map<string, string>",
}
# The Kafka JSON requires these three in Avro; every other field is ["null", T] with default null.
AVRO_REQUIRED = ("event_type", "registry", "action")


def _ts_string_array(name: str) -> list[str]:
    source = AUDIT_EVENT_TS.read_text(encoding="utf-8")
    match = re.search(rf"export const {name}\b[^=]*= \[(.*?)\]", source, re.S)
    assert match, f"{name} not found in {AUDIT_EVENT_TS}"
    return re.findall(r"'([^']+)'", match.group(1))


def test_json_fields_match_the_audit_event_lib() -> None:
    assert list(FIELD_NAMES) == _ts_string_array("AUDIT_EVENT_FIELDS")


def test_event_types_and_actions_match_the_audit_event_lib() -> None:
    source = AUDIT_EVENT_TS.read_text(encoding="utf-8")
    block = re.search(r"ACTION_OF_EVENT_TYPE = \{(.*?)\}", source, re.S)
    assert block
    pairs = re.findall(r"'([^']+)': '([^']+)'", block.group(1))
    assert [t for t, _ in pairs] == list(EVENT_TYPES)
    assert {a for _, a in pairs} == set(ACTIONS) == set(_ts_string_array("ACTIONS"))


def test_proto_message_has_the_same_fields_in_order() -> None:
    body = re.search(r"message PackageEvent \{(.*?)\n\}", PROTO.read_text(encoding="utf-8"), re.S)
    assert body
    fields = re.findall(r"^\s*(?:optional\s+)?([\w<>, ]+?)\s+(\w+)\s*=\s*(\d+);", body.group(1), re.M)
    assert [(name, int(number)) for _, name, number in fields] == [(f.name, i + 1) for i, f in enumerate(EVENT_FIELDS)]
    assert [t for t, _, _ in fields] == [PROTO_TYPES[f.kind] for f in EVENT_FIELDS]


def test_avro_schema_has_the_same_fields_types_and_nullability() -> None:
    avro = json.loads(AVRO.read_text(encoding="utf-8"))
    assert f"{avro['namespace']}.{avro['name']}" == "io.miniohq.registry.audit.PackageEvent"
    assert [f["name"] for f in avro["fields"]] == list(FIELD_NAMES)
    for field, spec in zip(EVENT_FIELDS, avro["fields"], strict=True):
        if field.name in AVRO_REQUIRED:
            assert spec["type"] == AVRO_TYPES[field.kind], field.name
            assert "default" not in spec, field.name
        else:
            assert spec["type"] == ["null", AVRO_TYPES[field.kind]], field.name
            assert spec["default"] is None, field.name


def test_iceberg_ddl_has_the_same_fields_types_and_not_null_columns() -> None:
    ddl = DDL.read_text(encoding="utf-8")
    columns = re.search(r"CREATE TABLE IF NOT EXISTS audit\.package_events \((.*?)\n\)", ddl, re.S)
    assert columns
    parsed = re.findall(r"^\s*`?(\w+)`?\s+(MAP<STRING, STRING>|\w+)(\s+NOT NULL)?", columns.group(1), re.M)
    assert [(name, kind) for name, kind, _ in parsed] == [(f.name, ICEBERG_TYPES[f.kind]) for f in EVENT_FIELDS]
    assert tuple(name for name, _, not_null in parsed if not_null) == REQUIRED_FIELDS
    assert "PARTITIONED BY (registry, days(`timestamp`))" in ddl
    for prop in (
        "'format-version' = '2'",
        "'write.format.default' = 'parquet'",
        "'write.parquet.compression-codec' = 'zstd'",
    ):
        assert prop in ddl


def test_the_spark_json_schema_reads_every_field() -> None:
    schema = event_json_schema()
    assert schema.fieldNames() == list(FIELD_NAMES)
    assert all(f.nullable for f in schema.fields)  # missing fields are found and dead-lettered, not fatal
