"""The audit event as the lake sees it: the Kafka JSON of the audit gateway, field by field.

Pure data (no Spark import) so the schema test and the report can use it without a JVM.
"""

from __future__ import annotations

from dataclasses import dataclass

EVENT_TYPES: tuple[str, ...] = (
    "pypi.package.download",
    "pypi.package.download.upstream",
    "pypi.package.upload",
    "pypi.package.metadata",
    "pypi.index.list",
    "npm.package.download",
    "npm.package.download.upstream",
    "npm.package.publish",
    "npm.package.metadata",
    "npm.user.login",
    "npm.dist-tags.update",
    "npm.search",
)
ACTIONS: tuple[str, ...] = ("download", "upload", "metadata", "search", "login")
REGISTRIES: tuple[str, ...] = ("npm", "pypi")


@dataclass(frozen=True)
class EventField:
    """One field of the event. `kind` is the logical type shared by every face of the schema."""

    name: str
    kind: str  # "timestamp" | "string" | "int" | "long" | "map<string,string>"
    required: bool


# Order matters: it is the order of the Kafka JSON, the Avro record and the Iceberg table.
# Required = NOT NULL in Iceberg; a message without one of these goes to the dead-letter table.
EVENT_FIELDS: tuple[EventField, ...] = (
    EventField("timestamp", "timestamp", True),
    EventField("event_type", "string", True),
    EventField("registry", "string", True),
    EventField("package", "string", False),
    EventField("version", "string", False),
    EventField("filename", "string", False),
    EventField("action", "string", True),
    EventField("source", "string", False),
    EventField("user_agent", "string", False),
    EventField("remote_addr", "string", False),
    EventField("status_code", "int", False),
    EventField("size", "long", False),
    EventField("extra", "map<string,string>", False),
)

FIELD_NAMES: tuple[str, ...] = tuple(f.name for f in EVENT_FIELDS)
REQUIRED_FIELDS: tuple[str, ...] = tuple(f.name for f in EVENT_FIELDS if f.required)

# extra.event_id is unique per event (a UUID): the de-duplication key, since delivery is at least once.
DEDUP_KEY = "event_id"
