import { Lru } from '@registry/shared-util';
import { formatAge } from './duration';
import { exemptionFor, type Exemption, type PolicyName } from './exemptions';
import type { AdvisoryFeed } from './advisory-feed';

/** One upstream release as its registry dates it: an npm version, or one PyPI file. */
export interface Release {
  /** What a hold is looked up by: the version (npm) or the filename (PyPI). */
  key: string;
  version: string | undefined;
  /** Upstream publish time (npm `time[version]`, PyPI `upload-time`), ms since the epoch; undefined = undated. */
  publishedAt: number | undefined;
  /** Whether the upstream gives it a provenance attestation (npm `dist.attestations`, PEP 740 `provenance`). */
  attested?: boolean;
}

/** Why one release is not served right now. */
export interface Hold {
  policy: Exclude<PolicyName, 'waiver'>;
  /** The client-facing sentence (the 403 body). */
  message: string;
  publishedAt: number | undefined;
  /** When the hold lifts by itself; undefined = not by the clock. */
  availableAt: number | undefined;
  /** Advisory id, for `extra.advisory`. */
  advisory?: string;
}

/** A package's upstream releases, indexed once per change of the served document (not per request). */
export interface ReleaseIndex {
  ecosystem: Exemption['ecosystem'];
  name: string;
  releases: readonly Release[];
  /** Newest publish time among the releases; -Infinity when none is dated. */
  youngest: number;
  undated: number;
  /** Earliest publish time of an attested release; undefined when none is attested. */
  firstAttested: number | undefined;
  /** Dated releases, youngest first, and the undated ones: the cooldown alone walks only the young end. */
  youngestFirst: readonly Release[];
  undatedReleases: readonly Release[];
}

/**
 * Per-package provenance rules: `required` holds every release without an attestation;
 * `no-downgrade` holds a release without one published after the first attested release.
 */
export type ProvenanceRule = 'required' | 'no-downgrade';

/** What the firewall decided for one package at one instant. */
export interface Review {
  held: ReadonlyMap<string, Hold>;
  /** Releases a rule would hold that an exemption lets through (their event says `waiver`). */
  waived: ReadonlyMap<string, Exemption>;
  /** Names the decision; equal keys mean an equal filtered document (render caches key on it). */
  key: string;
}

/**
 * How releases without a publish time are treated while a cooldown is on (README "Firewall"): `hold` (the
 * default: an age that cannot be shown is not old enough) or `allow`.
 */
export type UndatedRule = 'hold' | 'allow';

export interface FirewallOptions {
  /** Minimum age of an upstream release before it is served (ms); 0 = cooldown off. */
  minReleaseAgeMs: number;
  undated: UndatedRule;
  /** The clock, read at every decision: a cached document never freezes it. */
  now: () => number;
  /** The exemptions in force (a snapshot the policy store keeps current). */
  exemptions: () => readonly Exemption[];
  /** The advisory and malware feed; none: no advisory rule. */
  advisories?: AdvisoryFeed | undefined;
  /** The provenance rule of a package, if any. */
  provenanceRuleOf?: (ecosystem: ReleaseIndex['ecosystem'], name: string) => ProvenanceRule | undefined;
}

export function indexReleases(ecosystem: Exemption['ecosystem'], name: string, releases: readonly Release[]): ReleaseIndex {
  let youngest = -Infinity;
  let undated = 0;
  let firstAttested: number | undefined;
  for (const r of releases) {
    if (r.publishedAt === undefined) undated++;
    else if (r.publishedAt > youngest) youngest = r.publishedAt;
    if (r.attested && r.publishedAt !== undefined && (firstAttested === undefined || r.publishedAt < firstAttested)) firstAttested = r.publishedAt;
  }
  const youngestFirst = releases.filter((r) => r.publishedAt !== undefined).sort((a, b) => (b.publishedAt as number) - (a.publishedAt as number));
  const undatedReleases = releases.filter((r) => r.publishedAt === undefined);
  return { ecosystem, name, releases, youngest, undated, firstAttested, youngestFirst, undatedReleases };
}

const NO_HOLDS: Review = { held: new Map(), waived: new Map(), key: '' };

/** A hold as the admin view lists it. */
export interface BlockedRelease extends Hold {
  ecosystem: ReleaseIndex['ecosystem'];
  package: string;
  release: string;
}

/**
 * The admin view's memory: at most 1,000 packages and about 8 MiB of their release indexes (a package with
 * thousands of releases weighs hundreds of KiB, and its cached document may be long evicted), least recently
 * held out first.
 */
const MAX_REMEMBERED = 1000;
const MAX_REMEMBERED_BYTES = 8 * 1024 * 1024;
/** Rough heap bytes of one release (key, version, time, the object) and of one hold. */
const RELEASE_BYTES = 160;

/** The decisions of both registries: one instance per app, asked at request time. */
export class Firewall {
  /** Packages this instance held releases of (the admin view), newest decision last, bounded. */
  private readonly seen = new Lru<string, { index: ReleaseIndex; holds: ReadonlyMap<string, Hold> }>({ maxEntries: MAX_REMEMBERED, maxBytes: MAX_REMEMBERED_BYTES });
  private readonly provenanceRules = new WeakMap<ReleaseIndex, ProvenanceRule | null>();

  constructor(private readonly opts: FirewallOptions) {}

  /** A firewall that holds nothing (a registry built without one). */
  static off(): Firewall {
    return new Firewall({ minReleaseAgeMs: 0, undated: 'allow', now: Date.now, exemptions: () => [] });
  }

  /** What this instance holds now, from the packages it was asked about (README "Firewall": the admin view). */
  blockedNow(): BlockedRelease[] {
    const now = this.opts.now();
    const out: BlockedRelease[] = [];
    for (const { index } of this.seen.values()) {
      for (const [release, hold] of this.review(index, false).held) {
        if (hold.availableAt === undefined || hold.availableAt > now) out.push({ ecosystem: index.ecosystem, package: index.name, release, ...hold });
      }
    }
    return out;
  }

  /** False when no rule is configured: the registries then skip the firewall altogether. */
  get enabled(): boolean {
    return this.opts.minReleaseAgeMs > 0 || this.opts.advisories !== undefined || this.opts.provenanceRuleOf !== undefined;
  }

  now(): number {
    return this.opts.now();
  }

  /**
   * The holds on a package now. Cheap when nothing applies (the common case): one comparison of the youngest
   * release with the clock, no walk over the releases.
   */
  review(index: ReleaseIndex, remember = true): Review {
    const minAge = this.opts.minReleaseAgeMs;
    if (index.releases.length === 0) return NO_HOLDS;
    const now = this.opts.now();
    const undatedHeld = minAge > 0 && this.opts.undated === 'hold' && index.undated > 0;
    const cooling = minAge > 0 && (undatedHeld || now < index.youngest + minAge);
    const feed = this.opts.advisories?.names(index.ecosystem, index.name) ? this.opts.advisories : undefined;
    const provenance = this.provenanceRuleOf(index);
    if (!cooling && feed === undefined && provenance === undefined) return NO_HOLDS;
    const exemptions = this.opts.exemptions();
    const held = new Map<string, Hold>();
    const waived = new Map<string, Exemption>();
    for (const release of feed || provenance ? index.releases : coolingCandidates(index, now - minAge, undatedHeld)) {
      // An advisory outranks the cooldown: it does not lift with time.
      const hold = (feed && this.advisoryHold(feed, index, release))
        ?? (provenance && provenanceHold(index, release, provenance))
        ?? (cooling ? this.cooldownHold(index, release, now) : undefined);
      if (hold === undefined) continue;
      const exemption = exemptionFor(exemptions, index.ecosystem, index.name, release.version, hold.policy as 'advisory' | 'provenance' | 'cooldown', now);
      if (exemption) waived.set(release.key, exemption);
      else held.set(release.key, hold);
    }
    if (held.size === 0 && waived.size === 0) return NO_HOLDS;
    if (remember && held.size > 0) this.remember(index, held);
    return { held, waived, key: [...held.keys()].join('\n') };
  }

  private remember(index: ReleaseIndex, holds: ReadonlyMap<string, Hold>): void {
    const key = `${index.ecosystem}:${index.name}`;
    const weight = (index.releases.length + holds.size) * RELEASE_BYTES + index.name.length * 2;
    this.seen.set(key, { index, holds }, weight);
  }

  /** The provenance rule of a package, looked up once per index (the rules are fixed at start). */
  private provenanceRuleOf(index: ReleaseIndex): ProvenanceRule | undefined {
    const lookup = this.opts.provenanceRuleOf;
    if (lookup === undefined) return undefined;
    let rule = this.provenanceRules.get(index);
    if (rule === undefined) this.provenanceRules.set(index, (rule = lookup(index.ecosystem, index.name) ?? null));
    return rule ?? undefined;
  }

  private advisoryHold(feed: AdvisoryFeed, index: ReleaseIndex, release: Release): Hold | undefined {
    if (release.version === undefined) return undefined;
    const match = feed.blocking(index.ecosystem, index.name, release.version);
    if (!match) return undefined;
    const what = release.key === release.version ? `${index.name}@${release.version}` : `${release.key} (${index.name})`;
    const why = match.malicious ? 'reported as malicious' : `affected by a ${match.severity ?? 'known'} severity advisory`;
    return {
      policy: 'advisory', advisory: match.id, publishedAt: release.publishedAt, availableAt: undefined,
      message: `${what} is blocked: ${why} (${match.id}${match.summary ? `: ${match.summary.slice(0, 200)}` : ''})`,
    };
  }

  private cooldownHold(index: ReleaseIndex, release: Release, now: number): Hold | undefined {
    const minAge = this.opts.minReleaseAgeMs;
    const what = release.key === release.version ? `${index.name}@${release.version}` : `${release.key} (${index.name})`;
    if (release.publishedAt === undefined) {
      if (this.opts.undated === 'allow') return undefined;
      return {
        policy: 'cooldown', publishedAt: undefined, availableAt: undefined,
        message: `${what} has no upstream publish time, so its age cannot be shown; the release-age cooldown (${formatAge(minAge)}) holds it`,
      };
    }
    const availableAt = release.publishedAt + minAge;
    if (now >= availableAt) return undefined;
    return {
      policy: 'cooldown', publishedAt: release.publishedAt, availableAt,
      message: `${what} was published at ${iso(release.publishedAt)} and is held by the release-age cooldown (${formatAge(minAge)}): available from ${iso(availableAt)}`,
    };
  }
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** What one served document's event says: `cooldown` when it hid releases, `waiver` when an exemption let some through. */
export function policyOfReview(review: Review): PolicyName | undefined {
  if (review.held.size > 0) return [...review.held.values()][0]?.policy;
  return review.waived.size > 0 ? 'waiver' : undefined;
}

/** The audit facts of a served document's review: `policy`, and `advisory` when an advisory hid a release. */
export function factsOfReview(review: Review): Record<string, string> | undefined {
  const policy = policyOfReview(review);
  if (policy === undefined) return undefined;
  const advisory = [...review.held.values()].find((h) => h.advisory !== undefined)?.advisory;
  return { policy, ...(advisory ? { advisory } : {}) };
}

function provenanceHold(index: ReleaseIndex, release: Release, rule: ProvenanceRule): Hold | undefined {
  if (release.attested) return undefined;
  const what = release.key === release.version ? `${index.name}@${release.version}` : `${release.key} (${index.name})`;
  const base = { policy: 'provenance' as const, publishedAt: release.publishedAt, availableAt: undefined };
  if (rule === 'required') return { ...base, message: `${what} has no provenance attestation, and this registry requires one for ${index.name}` };
  if (index.firstAttested === undefined) return undefined;
  // Undated: it cannot be shown to come before the first attested release.
  if (release.publishedAt !== undefined && release.publishedAt < index.firstAttested) return undefined;
  return { ...base, message: `${what} has no provenance attestation although releases of ${index.name} since ${iso(index.firstAttested)} have one (no trust downgrade)` };
}

/** The releases the cooldown alone can hold: the undated (when held) and those published after `edge`. */
function coolingCandidates(index: ReleaseIndex, edge: number, undatedHeld: boolean): Release[] {
  const out = undatedHeld ? [...index.undatedReleases] : [];
  for (const r of index.youngestFirst) {
    if ((r.publishedAt as number) <= edge) break;
    out.push(r);
  }
  return out;
}
