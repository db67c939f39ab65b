import { z } from 'zod';
import type { RegistryName } from './view-model';

/**
 * The usage snapshot (README "Web console", "Usage"): the lake counts downloads per version over the last 30 days
 * from the audit events (`python -m registry_lake.usage`, infra/lake/sql/usage_by_*.sql), and
 * tools/lake/usage.sh puts the JSON into the registry's own store at this key (tools/lake/put-usage-snapshot.ts).
 * The proxies never query the lake: the console reads this document (ConsoleOptions.usage).
 */
export const USAGE_SNAPSHOT_KEY = 'lake/usage-30d.json';

/** A snapshot this old (ms) is said to be late, with its age: the lake's run is meant to be daily. */
export const USAGE_STALE_AFTER_MS = 36 * 3_600_000;

const count = z.number().int().min(0);
const counts = { downloads: count, cache: count, upstream: count, private: count };
const instant = z.iso.datetime({ offset: true });

/** The snapshot file, as registry_lake.usage writes it; anything else is refused before it is stored or shown. */
export const UsageSnapshotSchema = z.object({
  generated_at: instant,
  window_days: z.number().int().min(1),
  from: instant,
  to: instant,
  registries: z.array(z.object({ registry: z.string().min(1), ...counts })),
  versions: z.array(z.object({ registry: z.string().min(1), package: z.string().min(1), version: z.string().nullable(), ...counts })),
});

export type UsageSnapshot = z.infer<typeof UsageSnapshotSchema>;
export type UsageCounts = Pick<UsageSnapshot['registries'][number], 'downloads' | 'cache' | 'upstream' | 'private'>;
export type VersionUsage = UsageCounts & { version: string | null };
export type PackageUsage = UsageCounts & { package: string };

/** The stored JSON as a snapshot; throws (a sentence naming the first bad field) for anything else. */
export function parseUsageSnapshot(value: unknown): UsageSnapshot {
  const parsed = UsageSnapshotSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new Error(`not a usage snapshot: ${issue ? `${issue.path.join('.') || '(document)'}: ${issue.message}` : 'invalid'}`);
}

/** When the snapshot was made and how old it is now: every usage view says both. */
export interface SnapshotFacts {
  generatedAt: string;
  windowDays: number;
  ageMs: number;
  stale: boolean;
}

/** What a usage section shows: the notice without a snapshot, the reason when it cannot be read, or the numbers. */
export type UsageView<T> =
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string }
  | ({ state: 'ready' } & SnapshotFacts & T);

export type PackageUsageView = UsageView<{ totals: UsageCounts; versions: readonly VersionUsage[] }>;
export type RegistryUsageView = UsageView<{ registry: RegistryName; registries: readonly (UsageCounts & { registry: string })[]; packages: readonly PackageUsage[]; packageCount: number }>;

const ZERO: UsageCounts = { downloads: 0, cache: 0, upstream: 0, private: 0 };
const add = (a: UsageCounts, b: UsageCounts): UsageCounts => ({
  downloads: a.downloads + b.downloads, cache: a.cache + b.cache, upstream: a.upstream + b.upstream, private: a.private + b.private,
});

/** The counts of several rows added up (a package's versions, a registry's packages). */
export const usageTotals = (rows: readonly UsageCounts[]): UsageCounts => rows.reduce(add, ZERO);

/** The versions of each package, by registry then name, built once per snapshot read from the store. */
const indexes = new WeakMap<UsageSnapshot, Map<string, Map<string, VersionUsage[]>>>();

function indexOf(snapshot: UsageSnapshot): Map<string, Map<string, VersionUsage[]>> {
  let index = indexes.get(snapshot);
  if (index === undefined) {
    index = new Map();
    for (const { registry, package: name, ...row } of snapshot.versions) {
      let packages = index.get(registry);
      if (packages === undefined) index.set(registry, (packages = new Map()));
      const rows = packages.get(name);
      if (rows) rows.push(row);
      else packages.set(name, [row]);
    }
    indexes.set(snapshot, index);
  }
  return index;
}

function factsOf(snapshot: UsageSnapshot, now: number): SnapshotFacts {
  const ageMs = Math.max(0, now - Date.parse(snapshot.generated_at));
  return { generatedAt: snapshot.generated_at, windowDays: snapshot.window_days, ageMs, stale: ageMs > USAGE_STALE_AFTER_MS };
}

const byDownloads = <R extends UsageCounts>(a: R, b: R): number => b.downloads - a.downloads;

/** One package's usage (its name as the registry's events carry it: npm's as given, PyPI's normalized). */
export function packageUsageOf(snapshot: UsageSnapshot, registry: RegistryName, name: string, now: number): PackageUsageView {
  const versions = [...(indexOf(snapshot).get(registry)?.get(name) ?? [])].sort(byDownloads);
  return { state: 'ready', ...factsOf(snapshot, now), totals: usageTotals(versions), versions };
}

/** The registry-wide view: every registry's totals, and this registry's most downloaded packages (at most `top`). */
export function registryUsageOf(snapshot: UsageSnapshot, registry: RegistryName, now: number, top: number): RegistryUsageView {
  const packages: PackageUsage[] = [...(indexOf(snapshot).get(registry) ?? [])].map(([name, versions]) => ({ package: name, ...usageTotals(versions) }));
  packages.sort((a, b) => byDownloads(a, b) || (a.package < b.package ? -1 : 1));
  return {
    state: 'ready', ...factsOf(snapshot, now), registry,
    registries: snapshot.registries, packages: packages.slice(0, top), packageCount: packages.length,
  };
}
