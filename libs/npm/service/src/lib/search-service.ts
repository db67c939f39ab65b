import { AppError } from '@registry/shared-errors';
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
  /** Names whose versions were all unpublished: they may list the upstream's document instead. */
  withoutHit: readonly string[];
}

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
    const words = searchWords(query.text);
    const own = index.hits.filter((entry) => haystackMatches(entry.haystack, words)).map((entry) => entry.hit);
    const ownBefore = own.length;
    for (const name of index.withoutHit) {
      const hit = await this.allowlistedUpstreamHit(name);
      if (hit && haystackMatches(searchHaystack(hit), words)) own.push(hit);
    }
    if (own.length > ownBefore) own.sort(byName);
    const upstream = await this.upstreamResults(query, index.names);
    if (upstream.failed && own.length === 0) {
      throw new AppError('upstream_unavailable', `the upstream search failed and no private package matches: ${upstream.failed}`);
    }
    const end = query.from + query.size;
    const objects = end <= own.length ? own.slice(query.from, end) : [...own.slice(query.from), ...upstream.objects.slice(Math.max(0, query.from - own.length), end - own.length)];
    return {
      response: { objects, total: own.length + upstream.total, time: new Date().toUTCString() },
      upstreamFailed: upstream.failed !== undefined,
    };
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
        withoutHit: Object.keys(entries).filter((name) => entries[name]!.hit === null),
      };
      this.prepared.set(entries, prepared);
    }
    return prepared;
  }

  /**
   * A private name whose versions were all unpublished serves the upstream's document when it is on the merge
   * allow-list, and is listed from it as before; only allow-listed names get here, so this stays bounded.
   */
  private async allowlistedUpstreamHit(name: string): Promise<SearchObject | undefined> {
    if (!this.opts.policy.mergeAllowlist.has(name)) return undefined;
    const resolved = await this.opts.reader.resolve(name).catch(() => undefined);
    return resolved && toSearchObject(resolved.state.doc);
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
