import { AppError } from '@registry/shared-errors';
import { Lru } from '@registry/shared-util';
import type { Logger } from '@registry/shared-logger';
import { haystackMatches, searchHaystack, searchWords, toSearchObject, type SearchObject, type SearchResponse } from '@registry/npm-protocol';
import type { PackageReader } from './package-reader';
import type { NpmUpstream } from './ports';
import { mayAskUpstream, type UpstreamPolicy } from './package-reader';
import type { IndexEntry } from './search-index';

export interface SearchQuery {
  text: string;
  size: number;
  from: number;
}

/** A search answer; `upstreamFailed`: the upstream's part is missing (the route says so in a Warning header). */
export interface SearchAnswer {
  response: SearchResponse;
  upstreamFailed: boolean;
}

/** The index as a search walks it: hits in answer order, each with its lowercased text; made once per index version. */
interface PreparedIndex {
  names: ReadonlySet<string>;
  hits: ReadonlyArray<{ hit: SearchObject; haystack: string }>;
  /** Allow-listed names whose versions were all unpublished: they list the upstream's document instead. */
  allowlistedWithoutHit: readonly string[];
  /** Recent queries' matches on this version of the index (a new index starts empty, so nothing here goes stale). */
  answers: Lru<string, OwnMatches>;
}

/** The private hits matching one query: the first `hits` in answer order (at most MATCHES_KEPT) and how many match. */
interface OwnMatches {
  hits: SearchObject[];
  total: number;
}

/**
 * Matches kept per query: the largest page npm asks for (size 250); a deeper page (`from` + `size` beyond it)
 * walks the index again. With QUERIES_KEPT queries this bounds the memory to references to existing hits.
 */
const MATCHES_KEPT = 250;
const QUERIES_KEPT = 256;

const byName = (a: SearchObject, b: SearchObject): number => a.package.name.localeCompare(b.package.name);

/**
 * `GET /-/v1/search` (protocols §5.1): private packages (substring match) first, then the upstream's results
 * for names this registry does not own, when the upstream answers. When the upstream search fails, the private
 * matches are the answer (marked); with none, the failure is (502), never an empty success.
 */
export class SearchService {
  constructor(private readonly opts: { reader: PackageReader; upstream: NpmUpstream | undefined; policy: UpstreamPolicy; logger: Logger }) {}

  private readonly prepared = new WeakMap<Record<string, IndexEntry>, PreparedIndex>();

  async search(query: SearchQuery): Promise<SearchAnswer> {
    const index = this.preparedIndex(await this.opts.reader.packages.searchIndex.entries());
    const end = query.from + query.size;
    const own = await this.ownMatches(index, searchWords(query.text), end);
    const upstream = await this.upstreamResults(query, index.names);
    if (upstream.failed && own.total === 0) {
      throw new AppError('upstream_unavailable', `the upstream search failed and no private package matches: ${upstream.failed}`);
    }
    const objects = end <= own.total ? own.hits.slice(query.from, end) : [...own.hits.slice(query.from), ...upstream.objects.slice(Math.max(0, query.from - own.total), end - own.total)];
    return {
      response: { objects, total: own.total + upstream.total, time: new Date().toUTCString() },
      upstreamFailed: upstream.failed !== undefined,
    };
  }

  /**
   * The private hits for `words`, enough for a page ending at `end`: one counting pass over the index (only the
   * hits that can be on a page are collected), remembered for this index version, so a repeated query costs a
   * lookup however many packages are here.
   */
  private async ownMatches(index: PreparedIndex, words: readonly string[], end: number): Promise<OwnMatches> {
    if (index.allowlistedWithoutHit.length > 0) return this.ownMatchesWithUpstreamHits(index, words);
    const key = words.join(' ');
    const known = index.answers.get(key);
    if (known !== undefined && (end <= known.hits.length || known.hits.length === known.total)) return known;
    const keep = Math.max(end, MATCHES_KEPT);
    const hits: SearchObject[] = [];
    let total = 0;
    for (const entry of index.hits) {
      if (!haystackMatches(entry.haystack, words)) continue;
      if (total < keep) hits.push(entry.hit);
      total += 1;
    }
    const matches = { hits, total };
    if (keep === MATCHES_KEPT) index.answers.set(key, matches);
    return matches;
  }

  /**
   * A private name whose versions were all unpublished serves the upstream's document when it is on the merge
   * allow-list, and is listed from it as before. That document may change, so these answers are never kept.
   */
  private async ownMatchesWithUpstreamHits(index: PreparedIndex, words: readonly string[]): Promise<OwnMatches> {
    const hits = index.hits.filter((entry) => haystackMatches(entry.haystack, words)).map((entry) => entry.hit);
    for (const name of index.allowlistedWithoutHit) {
      const resolved = await this.opts.reader.resolve(name).catch(() => undefined);
      const hit = resolved && toSearchObject(resolved.state.doc);
      if (hit && haystackMatches(searchHaystack(hit), words)) hits.push(hit);
    }
    return { hits: hits.sort(byName), total: hits.length };
  }

  /**
   * Sorting and lowercasing every hit once per index version (the index object changes only when it does),
   * not per request: a search then costs one substring pass, however many packages are here.
   */
  private preparedIndex(entries: Record<string, IndexEntry>): PreparedIndex {
    let prepared = this.prepared.get(entries);
    if (prepared === undefined) {
      const hits = Object.values(entries).flatMap((entry) => (entry.hit ? [entry.hit] : [])).sort(byName);
      prepared = {
        names: new Set(Object.keys(entries)),
        hits: hits.map((hit) => ({ hit, haystack: searchHaystack(hit) })),
        allowlistedWithoutHit: Object.keys(entries).filter((name) => entries[name]!.hit === null && this.opts.policy.mergeAllowlist.has(name)),
        answers: new Lru({ maxEntries: QUERIES_KEPT }),
      };
      this.prepared.set(entries, prepared);
    }
    return prepared;
  }

  private async upstreamResults(query: SearchQuery, privateNames: ReadonlySet<string>): Promise<{ objects: SearchObject[]; total: number; failed?: string }> {
    if (!this.opts.upstream || query.text.trim() === '') return { objects: [], total: 0 };
    const params = new URLSearchParams({ text: query.text, size: String(query.from + query.size), from: '0' });
    try {
      const body = (await this.opts.upstream.search(params)) as { objects?: unknown; total?: unknown } | undefined;
      if (!body || !Array.isArray(body.objects)) return { objects: [], total: 0 };
      const objects = (body.objects as SearchObject[]).filter(
        (o) => typeof o?.package?.name === 'string' && !privateNames.has(o.package.name) && mayAskUpstream(o.package.name, false, this.opts.policy),
      ).map((o) => ({ ...o, package: { ...o.package, maintainers: Array.isArray(o.package.maintainers) ? o.package.maintainers : [] } }));
      const dropped = body.objects.length - objects.length;
      return { objects, total: Math.max(objects.length, (typeof body.total === 'number' ? body.total : objects.length) - dropped) };
    } catch (err) {
      this.opts.logger.warn({ err }, 'upstream search failed; answering with private packages only');
      return { objects: [], total: 0, failed: err instanceof Error ? err.message : String(err) };
    }
  }
}
