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

/** The rules of README "What an event means", restated from what the client saw (not from the events). */
const isDownload = (o: Operation) => o.action === 'download' && o.status === 200 && o.method !== 'HEAD';
const isServed = (o: { action: string; status: number }) => o.action === 'download' && o.status >= 200 && o.status < 300;
const isFailure = (o: Operation) => (o.action === 'upload' && o.status >= 400) || (o.action === 'login' && o.status >= 400 && o.status !== 404);

/** Per `key(item)`: how many items `counts`, and the sum of `bytes(item)`; sorted by key. */
function tally<T>(items: T[], key: (t: T) => string[], bytes: (t: T) => number, counts: (t: T) => boolean = () => true): Array<{ key: string[]; count: number; bytes: number }> {
  const acc = new Map<string, { key: string[]; count: number; bytes: number }>();
  for (const item of items) {
    const k = key(item);
    const row = acc.get(JSON.stringify(k)) ?? { key: k, count: 0, bytes: 0 };
    if (counts(item)) row.count += 1;
    row.bytes += bytes(item);
    acc.set(JSON.stringify(k), row);
  }
  return [...acc.values()].sort((a, b) => (JSON.stringify(a.key) < JSON.stringify(b.key) ? -1 : 1));
}

/** The expected query results, from the requests the workload made (counts, sizes, statuses it observed). */
export function buildManifest(topic: string, ops: Operation[], written: AuditEvent[], duplicates: AuditEvent[], dead: number, messages: number, seconds: number): WorkloadManifest {
  const served = ops.filter((o) => isServed(o));
  const failed = ops.filter(isFailure);
  const hour = (ts: string) => `${ts.slice(0, 13)}:00:00+00:00`;
  // Hours exist only in the events (wall clock): this one is tallied from the events, by the same rules.
  const servedEvents = written.filter((e) => isServed({ action: e.action, status: e.status_code }));
  const eventIsDownload = (e: AuditEvent) => e.status_code === 200 && e.extra['method'] !== 'HEAD';
  return {
    topic,
    event_ids: written.map((e) => e.extra['event_id'] as string),
    duplicate_event_ids: duplicates.map((e) => e.extra['event_id'] as string),
    dead_letters: dead,
    messages,
    top_packages: tally(served, (o) => [o.registry, o.package ?? '-'], (o) => o.size ?? 0, isDownload)
      .filter((r) => r.count > 0)
      .map((r) => ({ registry: r.key[0] as string, package: r.key[1] as string, downloads: r.count, bytes: r.bytes })),
    cache_shares: tally(served.filter((o) => isDownload(o) && o.origin !== 'private'), (o) => [o.registry, o.source ?? 'unknown'], () => 0)
      .map((r) => ({ registry: r.key[0] as string, source: r.key[1] as string, downloads: r.count })),
    hourly_traffic: tally(servedEvents, (e) => [hour(e.timestamp), e.registry], (e) => e.size ?? 0, eventIsDownload)
      .map((r) => ({ hour: r.key[0] as string, registry: r.key[1] as string, downloads: r.count, bytes: r.bytes })),
    failures_by_user: tally(failed, (o) => [o.user ?? '(anonymous)', o.action], () => 0).map((r) => ({ user: r.key[0] as string, action: r.key[1] as string, failures: r.count })),
    operations: ops,
    seconds,
  };
}
