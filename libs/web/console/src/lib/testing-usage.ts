import { USAGE_SNAPSHOT_KEY, usageTotals, type UsageSnapshot } from './usage';

const DAY_MS = 86_400_000;

/** One version's row: registry, package, version, then downloads, from the cache, from the upstream, private. */
export type UsageRowTuple = [registry: string, pkg: string, version: string | null, downloads: number, cache: number, upstream: number, priv: number];

/**
 * A 30-day usage snapshot as `python -m registry_lake.usage` writes it, made at `generatedAt`, from its version
 * rows; the registry totals are their sums (npm and pypi always listed, as the lake lists every registry).
 */
export function usageSnapshotOf(generatedAt: string, rows: UsageRowTuple[]): UsageSnapshot {
  const versions = rows.map(([registry, pkg, version, downloads, cache, upstream, priv]) => ({ registry, package: pkg, version, downloads, cache, upstream, private: priv }));
  const registries = ['npm', 'pypi'].map((registry) => ({ registry, ...usageTotals(versions.filter((v) => v.registry === registry)) }));
  return { generated_at: generatedAt, window_days: 30, from: new Date(Date.parse(generatedAt) - 30 * DAY_MS).toISOString(), to: generatedAt, registries, versions };
}

/** What a usage section or page says when no snapshot is stored. */
export const NO_USAGE_SNAPSHOT = /No usage snapshot is stored, so there are no download counts to show\. Usage needs the lake.*<code>tools\/lake\/usage\.sh<\/code>/s;

/** Stores a snapshot where tools/lake/usage.sh puts it (any store: the console's usage port reads it from there). */
export async function storeUsageSnapshot(store: { putDocument(key: string, body: Buffer): Promise<unknown> }, snapshot: unknown): Promise<void> {
  await store.putDocument(USAGE_SNAPSHOT_KEY, Buffer.from(JSON.stringify(snapshot)));
}
