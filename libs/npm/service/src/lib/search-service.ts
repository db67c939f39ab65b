import type { Logger } from '@registry/shared-logger';
import { matchesSearchText, toSearchObject, type SearchObject, type SearchResponse } from '@registry/npm-protocol';
import type { PackageReader } from './package-reader';
import type { NpmUpstream } from './ports';
import { mayAskUpstream, type UpstreamPolicy } from './package-state';

export interface SearchQuery {
  text: string;
  size: number;
  from: number;
}

/**
 * `GET /-/v1/search` (protocols.md §5.1): local packages (substring match) first, then the upstream's results
 * for names this registry does not own, when the upstream answers. An unreachable upstream search only
 * narrows the answer to local packages.
 */
export class SearchService {
  constructor(private readonly opts: { reader: PackageReader; upstream: NpmUpstream | undefined; policy: UpstreamPolicy; logger: Logger }) {}

  async search(query: SearchQuery): Promise<SearchResponse> {
    const local: SearchObject[] = [];
    const localNames = new Set<string>();
    for await (const name of this.opts.reader.local.names()) {
      localNames.add(name);
      const state = await this.opts.reader.resolve(name).catch(() => undefined);
      if (!state || !matchesSearchText(state.state.doc, query.text)) continue;
      const hit = toSearchObject(state.state.doc);
      if (hit) local.push(hit);
    }
    local.sort((a, b) => a.package.name.localeCompare(b.package.name));
    const upstream = await this.upstreamResults(query, localNames);
    const all = [...local, ...upstream.objects];
    return {
      objects: all.slice(query.from, query.from + query.size),
      total: local.length + upstream.total,
      time: new Date().toUTCString(),
    };
  }

  private async upstreamResults(query: SearchQuery, localNames: Set<string>): Promise<{ objects: SearchObject[]; total: number }> {
    if (!this.opts.upstream || query.text.trim() === '') return { objects: [], total: 0 };
    const params = new URLSearchParams({ text: query.text, size: String(query.from + query.size), from: '0' });
    try {
      const body = (await this.opts.upstream.search(params)) as { objects?: unknown; total?: unknown } | undefined;
      if (!body || !Array.isArray(body.objects)) return { objects: [], total: 0 };
      const objects = (body.objects as SearchObject[]).filter(
        (o) => typeof o?.package?.name === 'string' && !localNames.has(o.package.name) && mayAskUpstream(o.package.name, false, this.opts.policy),
      ).map((o) => ({ ...o, package: { ...o.package, maintainers: Array.isArray(o.package.maintainers) ? o.package.maintainers : [] } }));
      const dropped = body.objects.length - objects.length;
      return { objects, total: Math.max(objects.length, (typeof body.total === 'number' ? body.total : objects.length) - dropped) };
    } catch (err) {
      this.opts.logger.warn({ err }, 'upstream search failed; answering with local results only');
      return { objects: [], total: 0 };
    }
  }
}
