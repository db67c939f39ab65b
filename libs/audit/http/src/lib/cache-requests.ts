import { Counter, type Registry } from 'prom-client';
import type { AuditEventInput } from '@registry/audit-event';

export type CacheResult = 'hit' | 'miss' | 'stale';

/**
 * Which cache answer an audited request was (docs/deployment.md, "Cache metrics"): `hit` when the cache answered alone, `miss` when
 * the upstream was asked, `stale` when the upstream failed and the last good copy was served. Only answered
 * requests (status < 400) for a cached document or blob count; private packages are not the cache's doing.
 */
export function cacheResultOf(event: Pick<AuditEventInput, 'source' | 'status_code' | 'extra'>): CacheResult | undefined {
  if (event.source == null || event.status_code >= 400 || event.extra?.['origin'] === 'private') return undefined;
  if (event.extra?.['stale'] === 'true') return 'stale';
  return event.source === 'upstream' ? 'miss' : 'hit';
}

/** `<prefix>_cache_requests_total{result}` in the service's registry; the returned function counts one answer. */
export function cacheRequestsCounter(registry: Registry, prefix: string): (result: CacheResult) => void {
  const counter = new Counter({
    name: `${prefix}_cache_requests_total`,
    help: 'Requests for cached metadata and files by result: hit (cache alone), miss (upstream asked), stale (upstream failed, last good copy served)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  // Bound once: prom-client hashes the label set on every labelled call otherwise.
  const children = { hit: counter.labels('hit'), miss: counter.labels('miss'), stale: counter.labels('stale') };
  return (result) => children[result].inc();
}
