import type { Packument } from './packument';

/**
 * The packument `time` map (protocols §13): `created`, `modified`,
 * and one publish time per version. Values are ISO-8601 strings; an unparsable one is treated as absent.
 */
const instant = (value: unknown): number | undefined => {
  if (typeof value !== 'string') return undefined;
  const t = Date.parse(value);
  return Number.isFinite(t) ? t : undefined;
};

/**
 * When the package last changed: `time.modified` when it is a date, else the latest date in `time` (some
 * upstreams send publish times only), else undefined. Never a made-up epoch.
 */
export function packumentModified(doc: Pick<Packument, 'time'>): string | undefined {
  const time = doc.time;
  if (time === undefined || time === null || typeof time !== 'object') return undefined;
  if (instant(time['modified']) !== undefined) return time['modified'];
  let latest: { at: number; value: string } | undefined;
  for (const [key, value] of Object.entries(time)) {
    const at = instant(value);
    if (key !== 'unpublished' && at !== undefined && (latest === undefined || at > latest.at)) latest = { at, value: value as string };
  }
  return latest?.value;
}

/**
 * The `time` map of a document merging local and upstream versions: every version keeps the time of the
 * side its manifest comes from (local wins, as for the manifests), `created` is the earlier and `modified`
 * the later of the two sides (each side's own `modified` as `packumentModified` reads it). Undefined when
 * neither side has a time map.
 */
export function mergePackumentTimes(local: Packument['time'], upstream: Packument['time']): Record<string, string> | undefined {
  if (local === undefined && upstream === undefined) return undefined;
  const merged: Record<string, string> = { ...(upstream ?? {}), ...(local ?? {}) };
  const created = [local?.['created'], upstream?.['created']].filter((v): v is string => instant(v) !== undefined);
  if (created.length > 0) merged['created'] = created.reduce((a, b) => (instant(a)! <= instant(b)! ? a : b));
  const modified = [packumentModified({ time: local }), packumentModified({ time: upstream })].filter((v): v is string => v !== undefined);
  if (modified.length > 0) merged['modified'] = modified.reduce((a, b) => (instant(a)! >= instant(b)! ? a : b));
  return merged;
}
