import { readFileSync } from 'node:fs';
import path from 'node:path';
import avro from 'avsc';
import { repoRoot } from './repo-root';

/**
 * `timestamp-millis` over Avro long, bridged to the Kafka JSON's ISO string: the JSON value must be an
 * ISO 8601 UTC string with milliseconds and Z, and it becomes epoch milliseconds in Avro.
 */
class IsoTimestampMillis extends avro.types.LogicalType {
  override _fromValue(millis: number): string {
    return new Date(millis).toISOString();
  }
  override _toValue(iso: unknown): number | undefined {
    if (typeof iso !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(iso)) return undefined;
    const millis = Date.parse(iso);
    return Number.isNaN(millis) ? undefined : millis;
  }
  override _resolve(type: avro.Type): ((x: number) => number) | undefined {
    return avro.Type.isType(type, 'long', 'logical:timestamp-millis') ? (x: number) => x : undefined;
  }
}

export interface AvroValidator {
  /** Paths of the JSON message's fields that do not fit infra/avro/package-event.avsc (empty = valid). */
  errors(json: string): string[];
  /** JSON → Avro binary → JSON; equal to the input when the schema carries every field losslessly. */
  roundTrip(json: string): unknown;
}

/** Validates Kafka JSON messages against the Avro face of the audit event. */
export function createAvroValidator(avscPath = path.join(repoRoot(), 'infra/avro/package-event.avsc')): AvroValidator {
  const type = avro.Type.forSchema(JSON.parse(readFileSync(avscPath, 'utf8')), {
    logicalTypes: { 'timestamp-millis': IsoTimestampMillis },
    wrapUnions: false,
  });
  return {
    errors(json) {
      const paths: string[] = [];
      const value = JSON.parse(json);
      type.isValid(value, { errorHook: (p) => paths.push(p.join('.') || '(root)') });
      const names = new Set((type as avro.types.RecordType).fields.map((f) => f.name));
      const extraKeys = Object.keys(value).filter((k) => !names.has(k));
      return [...paths, ...extraKeys.map((k) => `${k} (not in the Avro schema)`)];
    },
    roundTrip: (json) => type.fromBuffer(type.toBuffer(JSON.parse(json))),
  };
}
