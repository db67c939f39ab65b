import semver from 'semver';
import { factsOfReview, indexReleases, refusalOf, type Firewall, type Hold, type ReleaseIndex, type Review } from '@registry/policy-firewall';
import type { Packument } from '@registry/npm-protocol';
import type { PackageState } from './package-reader';
import { renderPackument, type RenderedPackument } from './rendered-packument';

/** A packument as served at this instant: the cached bytes when no rule applies, else a filtered copy. */
export interface ServedPackument {
  doc: Packument;
  rendered: (baseUrl: string) => RenderedPackument;
  /** The rule behind the filtering (the event's `extra.policy`, `extra.advisory`); undefined when nothing was filtered. */
  facts: Record<string, string> | undefined;
  /** Throws the firewall's 403 when `version` is held now; `waiver` when an exemption lets it through. */
  check(version: string): 'waiver' | undefined;
  /** The versions held now, each with its reason (the web console explains them); empty when none is. */
  held: ReadonlyMap<string, Hold>;
}

const NONE_HELD: ReadonlyMap<string, Hold> = new Map();

interface PolicyEntry {
  index: ReleaseIndex;
  /** The last filtered document, by its review key (the clock moves the key only at release edges). */
  filtered?: { key: string; doc: Packument; rendered: Map<string, RenderedPackument> };
}

/**
 * The firewall over packuments (README "Firewall", protocols §17): applied to the served state at request time, so a cached
 * state never freezes the clock. Only upstream versions are judged (private ones are exempt). The release index
 * is built once per state; the filtered document once per change of what is held.
 */
export class ServedPackuments {
  private readonly entries = new WeakMap<PackageState, PolicyEntry>();

  constructor(private readonly firewall: Firewall, private readonly renderCached: (state: PackageState, baseUrl: string) => RenderedPackument) {}

  serve(state: PackageState): ServedPackument {
    const unfiltered: ServedPackument = {
      doc: state.doc, rendered: (base) => this.renderCached(state, base), facts: undefined, check: () => undefined, held: NONE_HELD,
    };
    if (!this.firewall.enabled) return unfiltered;
    const entry = this.entryOf(state);
    const review = this.firewall.review(entry.index);
    const facts = factsOfReview(review);
    const waiverOf = (version: string): 'waiver' | undefined => (review.waived.has(version) ? 'waiver' : undefined);
    if (review.held.size === 0) return { ...unfiltered, facts, check: waiverOf };
    if (entry.filtered?.key !== review.key) entry.filtered = { key: review.key, doc: filterPackument(state.doc, review), rendered: new Map() };
    const filtered = entry.filtered;
    return {
      doc: filtered.doc,
      facts,
      held: review.held,
      rendered: (base) => {
        let r = filtered.rendered.get(base);
        if (!r) {
          r = renderPackument(filtered.doc, base);
          if (filtered.rendered.size >= 4) filtered.rendered.clear();
          filtered.rendered.set(base, r);
        }
        return r;
      },
      check: (version) => {
        const hold = review.held.get(version);
        if (hold) throw refusalOf(hold);
        return waiverOf(version);
      },
    };
  }

  private entryOf(state: PackageState): PolicyEntry {
    let entry = this.entries.get(state);
    if (!entry) {
      const releases = [];
      for (const origin of state.tarballs.values()) {
        if (origin.kind !== 'upstream') continue;
        const time = state.doc.time?.[origin.version];
        const publishedAt = typeof time === 'string' ? Date.parse(time) : NaN;
        // Provenance (protocols §15): `dist.attestations.provenance` names the SLSA provenance predicate.
        const attestations = (state.doc.versions[origin.version]?.dist as { attestations?: { provenance?: unknown } } | undefined)?.attestations;
        releases.push({
          key: origin.version, version: origin.version, publishedAt: Number.isNaN(publishedAt) ? undefined : publishedAt,
          attested: typeof attestations?.provenance === 'object' && attestations.provenance !== null,
        });
      }
      entry = { index: indexReleases('npm', state.name, releases) };
      this.entries.set(state, entry);
    }
    return entry;
  }
}

/** The document without the held versions; dist-tags on a held version move to the newest allowed one. */
export function filterPackument(doc: Packument, review: Review): Packument {
  const versions: Packument['versions'] = {};
  for (const [v, manifest] of Object.entries(doc.versions)) if (!review.held.has(v)) versions[v] = manifest;
  const time: Record<string, string> = {};
  for (const [k, t] of Object.entries(doc.time ?? {})) if (!review.held.has(k)) time[k] = t;
  return { ...doc, versions, ...(doc.time ? { time } : {}), 'dist-tags': remapDistTags(doc['dist-tags'], Object.keys(versions)) };
}

/**
 * A tag on a version that is not served moves to the newest served version below it (else the newest served
 * one); `latest` never moves to a prerelease; a tag with nowhere to go is dropped.
 */
export function remapDistTags(tags: Record<string, string>, allowed: readonly string[]): Record<string, string> {
  const served = new Set(allowed);
  const sorted = allowed.filter((v) => semver.valid(v) !== null).sort(semver.rcompare);
  const out: Record<string, string> = {};
  for (const [tag, target] of Object.entries(tags)) {
    if (served.has(target)) {
      out[tag] = target;
      continue;
    }
    const stableOnly = tag === 'latest' || (semver.valid(target) !== null && semver.prerelease(target) === null);
    const candidates = stableOnly ? sorted.filter((v) => semver.prerelease(v) === null) : sorted;
    const below = semver.valid(target) ? candidates.find((v) => semver.lt(v, target)) : undefined;
    const chosen = below ?? candidates[0];
    if (chosen !== undefined) out[tag] = chosen;
  }
  return out;
}
