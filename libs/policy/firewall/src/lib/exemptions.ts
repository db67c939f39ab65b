/** The policies a decision names in its audit event (`extra.policy`). */
export type PolicyName = 'cooldown' | 'advisory' | 'takedown' | 'waiver' | 'provenance';

/** Policies an exemption may lift. */
export type WaivablePolicy = 'cooldown' | 'advisory' | 'provenance';
export const WAIVABLE_POLICIES: readonly WaivablePolicy[] = ['cooldown', 'advisory', 'provenance'];

/**
 * One exemption (a waiver): which packages (an exact name, a scope `@acme/*`, or a glob with `*`), optionally
 * one version, which policies it lifts, why, and until when. An expired exemption stops applying by itself: it is
 * compared with the clock on every decision, never swept.
 */
export interface Exemption {
  /** Stable id (admin API). */
  id: string;
  ecosystem: 'npm' | 'pypi';
  /** Exact name, `@scope/*`, or a glob where `*` matches any run of characters. */
  package: string;
  /** Exact version; undefined = every version. */
  version?: string | undefined;
  policies: readonly WaivablePolicy[];
  reason: string;
  /** ISO-8601; undefined = until removed. */
  expiresAt?: string | undefined;
  /** Who added it (admin API) or `policy-file`. */
  createdBy: string;
  createdAt: string;
}

const globCache = new Map<string, RegExp>();
function globOf(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
    re = new RegExp(`^${escaped}$`, 'i');
    if (globCache.size > 1000) globCache.clear();
    globCache.set(pattern, re);
  }
  return re;
}

export const isActive = (exemption: Exemption, now: number): boolean =>
  exemption.expiresAt === undefined || Date.parse(exemption.expiresAt) > now;

/** An exact name (case-insensitive), `@scope/*`, or a glob where `*` matches any run of characters. */
export function matchesPattern(pattern: string, name: string): boolean {
  return pattern.includes('*') ? globOf(pattern).test(name) : pattern.toLowerCase() === name.toLowerCase();
}

export const matchesPackage = (exemption: Exemption, name: string): boolean => matchesPattern(exemption.package, name);

/** The first active exemption lifting `policy` for this release, if any. */
export function exemptionFor(
  exemptions: readonly Exemption[], ecosystem: Exemption['ecosystem'], name: string, version: string | undefined, policy: WaivablePolicy, now: number,
): Exemption | undefined {
  return exemptions.find((e) => e.ecosystem === ecosystem && e.policies.includes(policy) && isActive(e, now) && matchesPackage(e, name)
    && (e.version === undefined || e.version === version));
}
