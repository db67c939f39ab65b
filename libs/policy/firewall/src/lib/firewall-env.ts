import { z } from 'zod';
import { parseAge } from './duration';
import type { ProvenanceRule, UndatedRule } from './firewall';
import { matchesPattern } from './exemptions';
import { SEVERITIES, type Severity } from './osv';

const age = z.string().transform((text, ctx) => {
  const ms = parseAge(text);
  if (ms === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a duration: "${text}" (write e.g. 3d, 12h, 90m or milliseconds)` });
    return z.NEVER;
  }
  return ms;
});

/** One provenance rule as written: `required:npm:@acme/*`, `no-downgrade:pypi:*`. */
export interface ProvenanceRuleSpec {
  rule: ProvenanceRule;
  ecosystem: 'npm' | 'pypi';
  pattern: string;
}

const provenanceRules = z.string().default('').transform((text, ctx): ProvenanceRuleSpec[] => {
  const out: ProvenanceRuleSpec[] = [];
  for (const item of text.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const m = /^(required|no-downgrade):(npm|pypi):([A-Za-z0-9@/._*-]+)$/.exec(item);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `not a provenance rule: "${item}" (write required|no-downgrade:npm|pypi:<name, @scope/* or glob>)` });
      return z.NEVER;
    }
    out.push({ rule: m[1] as ProvenanceRule, ecosystem: m[2] as 'npm' | 'pypi', pattern: m[3] as string });
  }
  return out;
});

/** The rule for one package: the first that matches. */
export function provenanceRuleLookup(rules: readonly ProvenanceRuleSpec[]): ((ecosystem: 'npm' | 'pypi', name: string) => ProvenanceRule | undefined) | undefined {
  if (rules.length === 0) return undefined;
  return (ecosystem, name) => rules.find((r) => r.ecosystem === ecosystem && matchesPattern(r.pattern, name))?.rule;
}

/**
 * The firewall's variables, the same in both apps (README "Firewall"): the registry-wide cooldown, the undated
 * rule and the policy file. Each app adds its own override (`NPM_MIN_RELEASE_AGE`, `PYPI_MIN_RELEASE_AGE`) with
 * `releaseAge`.
 */
export const FirewallEnv = z.object({
  /** Minimum age of an upstream release before it is served (`3d`, `12h`, ms); unset or 0 = cooldown off. */
  REGISTRY_MIN_RELEASE_AGE: age.optional(),
  /** Releases without an upstream publish time while a cooldown is on: `hold` (default) or `allow`. */
  REGISTRY_UNDATED_RELEASES: z.enum(['hold', 'allow']).default('hold'),
  /** A JSON file of exemptions (README "Firewall"), loaded at start beside the ones set through the admin API. */
  REGISTRY_POLICY_FILE: z.string().min(1).optional(),
  /** How often each instance rereads the shared exemption document from the store (ms). */
  REGISTRY_POLICY_REFRESH_MS: z.coerce.number().int().min(100).default(10_000),
  /** OSV advisory and malware feed: a directory of records, a file path or `file:` URL, or an http(s) URL; unset = none. */
  REGISTRY_ADVISORY_FEED: z.string().min(1).optional(),
  /** How often the advisory feed is reread (conditional request, ms). */
  REGISTRY_ADVISORY_REFRESH_MS: z.coerce.number().int().min(1000).default(300_000),
  /** Block non-malicious advisories at or above this severity (`low`, `moderate`, `high`, `critical`); unset = malware only. */
  REGISTRY_ADVISORY_BLOCK_SEVERITY: z.enum(SEVERITIES).optional(),
  /**
   * Provenance rules per package, comma-separated `<rule>:<ecosystem>:<name|@scope/*|glob>`: `required` holds
   * releases without an attestation, `no-downgrade` those published without one after an attested release.
   */
  REGISTRY_PROVENANCE_RULES: provenanceRules,
});

/** A per-registry override of the cooldown (same spelling as REGISTRY_MIN_RELEASE_AGE). */
export const releaseAge = age.optional();

export interface FirewallSettings {
  minReleaseAgeMs: number;
  undated: UndatedRule;
  policyFile: string | undefined;
  refreshMs: number;
  advisoryFeed: string | undefined;
  advisoryRefreshMs: number;
  blockSeverity: Severity | undefined;
  provenanceRules: ProvenanceRuleSpec[];
}

/** The settings one app runs with: its own override wins over the registry-wide value. */
export function firewallSettingsOf(config: z.infer<typeof FirewallEnv>, override: number | undefined): FirewallSettings {
  return {
    minReleaseAgeMs: override ?? config.REGISTRY_MIN_RELEASE_AGE ?? 0,
    undated: config.REGISTRY_UNDATED_RELEASES,
    policyFile: config.REGISTRY_POLICY_FILE,
    refreshMs: config.REGISTRY_POLICY_REFRESH_MS,
    advisoryFeed: config.REGISTRY_ADVISORY_FEED,
    advisoryRefreshMs: config.REGISTRY_ADVISORY_REFRESH_MS,
    blockSeverity: config.REGISTRY_ADVISORY_BLOCK_SEVERITY,
    provenanceRules: config.REGISTRY_PROVENANCE_RULES,
  };
}
