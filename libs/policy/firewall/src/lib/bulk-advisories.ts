import type { AdvisoryFeed } from './advisory-feed';
import { isMalicious, severityOf, type OsvAffected, type OsvRecord } from './osv';

/** One advisory in npm's bulk shape (`/-/npm/v1/security/advisories/bulk`, protocols §5.2). */
export interface BulkAdvisoryEntry {
  [field: string]: unknown;
  id: string;
  url: string;
  title: string;
  severity: string;
  vulnerable_versions: string;
  cwe: string[];
  cvss: { score: number; vectorString: string | null };
}

/**
 * The npm audit bulk answer from the feed, for the names an audit must not send upstream (npm-service's
 * `PrivateAdvisories` port): every npm record affecting one of the asked versions, its ranges as a semver range
 * (`>=introduced <fixed`, `<=last_affected`, exact listed versions) so npm can match the tree itself.
 */
export function bulkFromFeed(feed: AdvisoryFeed, request: Record<string, string[]>): Record<string, BulkAdvisoryEntry[]> {
  const out: Record<string, BulkAdvisoryEntry[]> = {};
  for (const [name, versions] of Object.entries(request)) {
    if (!feed.names('npm', name)) continue;
    const records = new Map<string, OsvRecord>();
    for (const v of versions) for (const r of feed.affecting('npm', name, v)) records.set(r.id, r);
    if (records.size === 0) continue;
    out[name] = [...records.values()].map((record) => {
      const affected = (record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm' && a.package.name === name);
      return {
        id: record.id,
        url: (record as { references?: Array<{ url?: string }> }).references?.find((r) => typeof r.url === 'string')?.url ?? '',
        title: record.summary ?? record.id,
        severity: isMalicious(record) ? 'critical' : (severityOf(record, affected[0]) ?? 'moderate'),
        vulnerable_versions: affected.map(semverRangeOf).filter((r) => r !== '').join(' || '),
        cwe: [],
        cvss: { score: 0, vectorString: null },
      };
    });
  }
  return out;
}

function semverRangeOf(affected: OsvAffected): string {
  const parts: string[] = [...(affected.versions ?? [])];
  for (const range of affected.ranges ?? []) {
    if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue;
    let lower: string | undefined;
    for (const e of range.events ?? []) {
      const upper = e.fixed !== undefined ? `<${e.fixed}` : e.last_affected !== undefined ? `<=${e.last_affected}` : undefined;
      if (e.introduced !== undefined) lower = e.introduced === '0' ? '>=0.0.0-0' : `>=${e.introduced}`;
      else if (upper !== undefined && lower !== undefined) {
        parts.push(`${lower} ${upper}`);
        lower = undefined;
      }
    }
    if (lower) parts.push(lower);
  }
  return parts.join(' || ');
}
