import semver from 'semver';
import { comparePep440 } from '@registry/shared-pep440';

/** The parts of an OSV record (OSV schema 1.x) the firewall reads. */
export interface OsvRecord {
  id: string;
  modified?: string;
  withdrawn?: string;
  summary?: string;
  details?: string;
  aliases?: string[];
  database_specific?: { severity?: string; [k: string]: unknown };
  affected?: OsvAffected[];
}

export interface OsvAffected {
  package?: { ecosystem?: string; name?: string };
  ranges?: Array<{ type?: string; events?: Array<Partial<Record<'introduced' | 'fixed' | 'last_affected' | 'limit', string>>> }>;
  versions?: string[];
  database_specific?: { severity?: string; [k: string]: unknown };
}

export type Ecosystem = 'npm' | 'pypi';
const OSV_ECOSYSTEM: Record<Ecosystem, string> = { npm: 'npm', pypi: 'PyPI' };

/** A package's key in the feed: npm names exact, PyPI names normalized (PEP 503), as each registry keys them. */
export const packageKey = (ecosystem: Ecosystem, name: string): string =>
  `${ecosystem}:${ecosystem === 'pypi' ? name.toLowerCase().replace(/[-_.]+/g, '-') : name}`;

/** Malicious-package records (OSV's MAL- database). */
export const isMalicious = (record: OsvRecord): boolean => record.id.startsWith('MAL-');

/** The affected entries of a record for one ecosystem, with the package key they name. */
export function affectedEntries(record: OsvRecord): Array<{ key: string; ecosystem: Ecosystem; affected: OsvAffected }> {
  const out = [];
  for (const affected of record.affected ?? []) {
    const ecosystem = (Object.keys(OSV_ECOSYSTEM) as Ecosystem[]).find((e) => OSV_ECOSYSTEM[e] === affected.package?.ecosystem);
    const name = affected.package?.name;
    if (ecosystem && name) out.push({ key: packageKey(ecosystem, name), ecosystem, affected });
  }
  return out;
}

/** The version order OSV asks for: SEMVER by semver 2.0 (npm's), ECOSYSTEM by the ecosystem's own (npm: semver, PyPI: PEP 440). */
function comparatorOf(type: string | undefined, ecosystem: Ecosystem): ((a: string, b: string) => number | undefined) | undefined {
  if (type === 'SEMVER' || (type === 'ECOSYSTEM' && ecosystem === 'npm')) {
    return (a, b) => {
      const [x, y] = [semver.parse(a.replace(/^v/, '')), semver.parse(b.replace(/^v/, ''))];
      return x && y ? semver.compare(x, y) : undefined;
    };
  }
  if (type === 'ECOSYSTEM' && ecosystem === 'pypi') return comparePep440;
  return undefined; // GIT ranges name commits, not versions
}

/**
 * Whether `version` is affected (protocols §17): listed in `versions`, or inside a range, walking its
 * events in version order ("0" first): `introduced` opens, `fixed` closes at that version, `last_affected`
 * closes after it.
 */
export function isAffected(affected: OsvAffected, ecosystem: Ecosystem, version: string): boolean {
  if (affected.versions?.includes(version)) return true;
  for (const range of affected.ranges ?? []) {
    const compare = comparatorOf(range.type, ecosystem);
    if (!compare) continue;
    const events = (range.events ?? []).flatMap((e) => Object.entries(e).map(([kind, at]) => ({ kind, at: at as string })))
      .filter((e) => e.kind !== 'limit');
    const order = (e: { at: string }) => e.at === '0';
    const sorted = events.filter((e) => order(e) || compare(e.at, e.at) !== undefined)
      .sort((a, b) => (order(a) ? -1 : order(b) ? 1 : (compare(a.at, b.at) as number)));
    let hit = false;
    for (const e of sorted) {
      const c = e.at === '0' ? 1 : compare(version, e.at);
      if (c === undefined) break;
      if (e.kind === 'introduced' && c >= 0) hit = true;
      else if (e.kind === 'fixed' && c >= 0) hit = false;
      else if (e.kind === 'last_affected' && c > 0) hit = false;
    }
    if (hit) return true;
  }
  return false;
}

/** A record's severity word (GHSA's `database_specific.severity`), lower-cased; undefined when it gives none. */
export function severityOf(record: OsvRecord, affected?: OsvAffected): string | undefined {
  const s = affected?.database_specific?.severity ?? record.database_specific?.severity;
  return typeof s === 'string' ? s.toLowerCase() : undefined;
}

export const SEVERITIES = ['low', 'moderate', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** True when the word is at or above the threshold (`medium` reads as `moderate`). */
export function atLeast(severity: string | undefined, threshold: Severity): boolean {
  const rank = SEVERITIES.indexOf((severity === 'medium' ? 'moderate' : severity) as Severity);
  return rank >= 0 && rank >= SEVERITIES.indexOf(threshold);
}
