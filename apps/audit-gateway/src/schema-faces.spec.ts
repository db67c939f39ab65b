// The audit event has four faces (audit issue, "The event"); this keeps three of them equal here:
// the proto message, the Kafka JSON (AUDIT_EVENT_FIELDS / toAuditJson) and the Avro schema. The
// Iceberg DDL is checked by the lake's own tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AUDIT_EVENT_FIELDS, createAuditEvent, toAuditJson } from '@registry/audit-event';

const root = path.resolve(__dirname, '../../..');
const proto = readFileSync(path.join(root, 'proto/registry/audit/v1/audit.proto'), 'utf8');
const avro = JSON.parse(readFileSync(path.join(root, 'infra/avro/package-event.avsc'), 'utf8')) as {
  name: string; namespace: string; fields: { name: string; type: unknown; default?: unknown }[];
};

/** Fields of `message PackageEvent` in field-number order, with proto3 `optional` presence. */
function protoFields(): { name: string; optional: boolean }[] {
  const body = /message PackageEvent \{([\s\S]*?)\n\}/.exec(proto)?.[1] ?? '';
  return [...body.matchAll(/^\s*(optional\s+)?([\w<>, ]+?)\s+(\w+)\s*=\s*(\d+);/gm)]
    .map((m) => ({ name: m[3] ?? '', optional: m[1] !== undefined, number: Number(m[4]) }))
    .sort((a, b) => a.number - b.number);
}

const NULLABLE_IN_JSON = ['package', 'version', 'filename', 'source', 'user_agent', 'remote_addr', 'size'];
const REQUIRED_IN_AVRO = ['event_type', 'registry', 'action'];

describe('audit event schema faces', () => {
  it('JSON keys are AUDIT_EVENT_FIELDS, in order', () => {
    const json = JSON.parse(toAuditJson(createAuditEvent({ event_type: 'npm.search', status_code: 200 })));
    expect(Object.keys(json)).toEqual([...AUDIT_EVENT_FIELDS]);
  });

  it('proto fields have the same names and order, optional exactly where JSON may be null', () => {
    const fields = protoFields();
    expect(fields.map((f) => f.name)).toEqual([...AUDIT_EVENT_FIELDS]);
    expect(fields.filter((f) => f.optional).map((f) => f.name)).toEqual(NULLABLE_IN_JSON);
  });

  it('Avro fields have the same names and order; all but event_type/registry/action are ["null", T] default null', () => {
    expect(`${avro.namespace}.${avro.name}`).toBe('io.miniohq.registry.audit.PackageEvent');
    expect(avro.fields.map((f) => f.name)).toEqual([...AUDIT_EVENT_FIELDS]);
    for (const f of avro.fields) {
      const nullable = Array.isArray(f.type) && f.type[0] === 'null';
      expect({ field: f.name, nullable, default: f.default }).toEqual(
        REQUIRED_IN_AVRO.includes(f.name) ? { field: f.name, nullable: false, default: undefined } : { field: f.name, nullable: true, default: null },
      );
    }
    // Every field nullable in JSON is nullable in Avro (the reverse may be looser: a reader schema).
    for (const name of NULLABLE_IN_JSON) expect(REQUIRED_IN_AVRO).not.toContain(name);
  });

  it('Avro types: timestamp is timestamp-millis, extra a map of string', () => {
    const typeOf = (name: string) => (avro.fields.find((f) => f.name === name)?.type as unknown[])[1];
    expect(typeOf('timestamp')).toEqual({ type: 'long', logicalType: 'timestamp-millis' });
    expect(typeOf('extra')).toEqual({ type: 'map', values: 'string' });
    expect(typeOf('status_code')).toBe('int');
    expect(typeOf('size')).toBe('long');
  });
});
