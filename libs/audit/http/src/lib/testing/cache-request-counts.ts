import type { HttpMetrics } from '@registry/shared-http-server';
import type { CacheResult } from '../cache-requests';

/** `<prefix>_cache_requests_total` as counted so far, by result (0 for a result never counted). */
export async function cacheRequestCounts(metrics: HttpMetrics): Promise<Record<CacheResult, number>> {
  const counts: Record<CacheResult, number> = { hit: 0, miss: 0, stale: 0 };
  const metric = metrics.registry.getSingleMetric(`${metrics.prefix}_cache_requests_total`);
  if (metric === undefined) throw new Error(`${metrics.prefix}_cache_requests_total is not registered`);
  for (const v of (await metric.get()).values) counts[v.labels['result'] as CacheResult] = v.value;
  return counts;
}
