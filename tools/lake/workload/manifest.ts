import type { AuditEvent } from '@registry/audit-event';
import type { Operation } from './operations';

/** What the lake must show for this workload; the pytest side compares the seed's queries with it. */
export interface WorkloadManifest {
  topic: string;
  /** Distinct event_ids the gateway wrote for the proxies' requests: the table's rows, exactly. */
  event_ids: string[];
  /** event_ids delivered a second time through the gateway: in the table once. */
  duplicate_event_ids: string[];
  dead_letters: number;
  /** Messages on the topic: unique events + duplicates + malformed. */
  messages: number;
  top_packages: Array<{ registry: string; package: string; downloads: number; bytes: number }>;
  cache_shares: Array<{ registry: string; source: string; downloads: number }>;
  /** Hours come from the events' own timestamps (wall clock), so they are read back from Kafka. */
  hourly_traffic: Array<{ hour: string; registry: string; downloads: number; bytes: number }>;
  failures_by_user: Array<{ user: string; action: string; failures: number }>;
  operations: Operation[];
  seconds: number;
}

const isDownload = (o: { action: string; status: number }) => o.action === 'download' && o.status >= 200 && o.status < 300;

/** Counts `key(item)` over items, summing `bytes(item)`, sorted by key. */
function tally<T>(items: T[], key: (t: T) => string[], bytes: (t: T) => number): Array<{ key: string[]; count: number; bytes: number }> {
  const acc = new Map<string, { key: string[]; count: number; bytes: number }>();
  for (const item of items) {
    const k = key(item);
    const row = acc.get(JSON.stringify(k)) ?? { key: k, count: 0, bytes: 0 };
    row.count += 1;
    row.bytes += bytes(item);
    acc.set(JSON.stringify(k), row);
  }
  return [...acc.values()].sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
}

/** The expected query results, from the requests the workload made (counts, sizes, statuses it observed). */
export function buildManifest(topic: string, ops: Operation[], written: AuditEvent[], duplicates: AuditEvent[], dead: number, messages: number, seconds: number): WorkloadManifest {
  const downloads = ops.filter(isDownload);
  const failed = ops.filter((o) => (o.action === 'login' || o.action === 'upload') && o.status >= 400);
  const hour = (ts: string) => `${ts.slice(0, 13)}:00:00+00:00`;
  return {
    topic,
    event_ids: written.map((e) => e.extra['event_id'] as string),
    duplicate_event_ids: duplicates.map((e) => e.extra['event_id'] as string),
    dead_letters: dead,
    messages,
    top_packages: tally(downloads, (o) => [o.registry, o.package ?? '-'], (o) => o.size ?? 0).map((r) => ({ registry: r.key[0] as string, package: r.key[1] as string, downloads: r.count, bytes: r.bytes })),
    cache_shares: tally(downloads, (o) => [o.registry, o.source ?? 'unknown'], () => 0).map((r) => ({ registry: r.key[0] as string, source: r.key[1] as string, downloads: r.count })),
    hourly_traffic: tally(written.filter((e) => isDownload({ action: e.action, status: e.status_code })), (e) => [hour(e.timestamp), e.registry], (e) => e.size ?? 0)
      .map((r) => ({ hour: r.key[0] as string, registry: r.key[1] as string, downloads: r.count, bytes: r.bytes })),
    failures_by_user: tally(failed, (o) => [o.user ?? '(anonymous)', o.action], () => 0).map((r) => ({ user: r.key[0] as string, action: r.key[1] as string, failures: r.count })),
    operations: ops,
    seconds,
  };
}
