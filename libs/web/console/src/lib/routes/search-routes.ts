import type { Request, Router } from 'express';
import { isAppError } from '@registry/shared-errors';
import { WEB_BASE } from '../html';
import { REGISTRY_LABEL } from '../layout';
import { renderSearchPage } from '../search-page';
import type { RegistryFilter, RegistryName, RegistryResults, SearchHit } from '../view-model';
import type { ConsoleKit } from './console-router';
import type { ConsoleOptions } from './ports';
import { sessionTokenOf } from './session';

const PAGE_SIZE = 20;
const MAX_FROM = 10_000;
const PEER_TIMEOUT_MS = 5_000;

/** The other registry's console: `url` for the browsers' links, `searchUrl` for this proxy's own requests. */
interface PeerConsole {
  registry: RegistryName;
  url: string;
  searchUrl: string;
}

/**
 * Search over both registries. Each console answers for its own registry (`/-/web/search.json`, the same shape on
 * both) and asks the peer's for the other, server-side: one page, no script, and each registry keeps its own
 * search and its own access rule (the browser's session is passed on: both registries share one identity).
 */
export function searchRoutes(router: Router, opts: ConsoleOptions, kit: ConsoleKit, peer: PeerConsole | undefined): void {
  router.get(`${WEB_BASE}/search.json`, opts.route('read', opts.searchFacts, async (req, res) => {
    const { text, from } = queryOf(req);
    const size = Math.min(PAGE_SIZE, Math.max(1, Number.parseInt(String(req.query['size'] ?? PAGE_SIZE), 10) || PAGE_SIZE));
    const answer = await opts.search({ text, from, size });
    res.set('cache-control', 'private, no-cache').json({ registry: opts.registry, total: answer.total, hits: answer.hits, ...(answer.notice ? { notice: answer.notice } : {}) });
  }));

  router.get(`${WEB_BASE}/`, opts.route('read', opts.searchFacts, async (req, res) => {
    const { text, from, filter } = queryOf(req);
    const wanted: RegistryName[] = filter === 'all' ? ['npm', 'pypi'] : [filter];
    const single = wanted.length === 1;
    const results = await Promise.all(wanted.map((registry): Promise<RegistryResults> => {
      const at = single ? from : 0;
      if (registry === opts.registry) {
        return opts.search({ text, from: at, size: PAGE_SIZE }).then(
          (a) => ({ registry, pagesAt: '', ...a }),
          (err: unknown) => ({ registry, pagesAt: '', hits: [], total: 0, notice: `The search failed: ${isAppError(err) ? err.publicMessage : 'internal error'}` }),
        );
      }
      if (peer === undefined) return Promise.resolve({ registry, pagesAt: '', hits: [], total: 0, notice: `No ${REGISTRY_LABEL[registry]} console is configured here (WEB_CONSOLE_PEER_URL).` });
      return peerSearch(peer, { text, from: at, size: PAGE_SIZE }, sessionTokenOf(req));
    }));
    kit.send(res, 200, renderSearchPage({ query: text, filter, results, from, pageSize: PAGE_SIZE }, kit.chromeOf(req, res)));
  }));
}

function queryOf(req: Request): { text: string; from: number; filter: RegistryFilter } {
  const one = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const text = (one(req.query['q']) ?? '').slice(0, 200);
  const from = Math.min(MAX_FROM, Math.max(0, Number.parseInt(one(req.query['from']) ?? '0', 10) || 0));
  const registry = one(req.query['registry']);
  return { text, from, filter: registry === 'npm' || registry === 'pypi' ? registry : 'all' };
}

/** The peer console's JSON search; a failure becomes that registry's notice, never this page's error. */
async function peerSearch(peer: PeerConsole, query: { text: string; from: number; size: number }, session: string | undefined): Promise<RegistryResults> {
  const base = { registry: peer.registry, pagesAt: peer.url };
  const params = new URLSearchParams({ q: query.text, from: String(query.from), size: String(query.size) });
  try {
    const answer = await fetch(`${peer.searchUrl}${WEB_BASE}/search.json?${params.toString()}`, {
      headers: { accept: 'application/json', ...(session ? { authorization: `Bearer ${session}` } : {}) },
      signal: AbortSignal.timeout(PEER_TIMEOUT_MS), redirect: 'error',
    });
    if (!answer.ok) return { ...base, hits: [], total: 0, notice: `The ${REGISTRY_LABEL[peer.registry]} console answered ${answer.status}.` };
    const body = (await answer.json()) as { total?: unknown; hits?: unknown; notice?: unknown };
    const hits = Array.isArray(body.hits) ? body.hits.flatMap(hitOf) : [];
    return { ...base, hits, total: typeof body.total === 'number' ? body.total : hits.length, ...(typeof body.notice === 'string' ? { notice: body.notice } : {}) };
  } catch (err) {
    return { ...base, hits: [], total: 0, notice: `The ${REGISTRY_LABEL[peer.registry]} console did not answer (${err instanceof Error ? err.message : String(err)}).` };
  }
}

function hitOf(value: unknown): SearchHit[] {
  if (typeof value !== 'object' || value === null) return [];
  const v = value as Record<string, unknown>;
  if (typeof v['name'] !== 'string') return [];
  const text = (x: unknown) => (typeof x === 'string' ? x.slice(0, 500) : undefined);
  const version = text(v['version']);
  const description = text(v['description']);
  return [{ name: v['name'].slice(0, 214), ...(version ? { version } : {}), ...(description ? { description } : {}) }];
}

