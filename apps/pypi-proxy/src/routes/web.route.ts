import type { Request, Response, Router } from 'express';
import { AppError, isAppError } from '@registry/shared-errors';
import { Lru } from '@registry/shared-util';
import { isValidProjectName, normalizeProjectName } from '@registry/pypi-protocol';
import type { PypiService, ServedProject } from '@registry/pypi-service';
import { declareAudit } from '@registry/audit-http';
import { claimedUserName, type IdentityService } from '@registry/auth-identity';
import type { PolicyAdmin } from '@registry/policy-firewall';
import { consoleRouter, type ConsoleAudit, projectHref, renderProjectPage, WEB_BASE, type CoreMetadataView, type LocalSearch, type PublishRulesView, type UsageSnapshotSource } from '@registry/web-console';
import { principalIfAny, type Route } from '../http/route';
import { coreMetadataViewOf } from '../web/core-metadata-view';
import { metadataFileOf, projectViewOf } from '../web/project-view';
import { projectNameIndex } from '../web/project-search';

const MAX_METADATA_BYTES = 4 * 1024 * 1024;

/**
 * The console's account and token forms are the events npm's login, token and admin-user routes record: one
 * identity store serves both registries and `npm.user.login` is its one login type (the 12 types are fixed), so a
 * login here is that event too, `extra.operation=console-*` and `extra.console=pypi` saying where it happened.
 */
const CONSOLE_AUDIT: ConsoleAudit = {
  accountFacts: (extra) => ({ event_type: 'npm.user.login', extra }),
  declare: declareAudit,
  claimedName: claimedUserName,
};

/**
 * The web console on the PyPI index (README "Web console"): the shared console (login, account, admin, the
 * search over both registries) plus PyPI's project pages, over the same use-cases, access rule (`read`) and
 * audit events as the installers' routes.
 */
export function webRoutes(opts: { pypi: PypiService; route: Route; identity: IdentityService; policy: PolicyAdmin; peerUrl: string | undefined; peerSearchUrl: string | undefined; publicUrl: string | undefined; sessionTtlMs: number; publishRules: PublishRulesView; usage: UsageSnapshotSource; now: () => number }): Router {
  const { pypi, route } = opts;
  const names = projectNameIndex(pypi);
  const search: LocalSearch = async (query) => names.search(query);
  // A file's metadata never changes (a filename is never reused), so its reading is kept by filename.
  const metadataViews = new Lru<string, CoreMetadataView>({ maxEntries: 256 });

  async function metadataOf(served: ServedProject): Promise<{ metadata?: CoreMetadataView; metadataNote?: string }> {
    const found = metadataFileOf(served);
    if (!found) return { metadataNote: 'The newest release has no core metadata file here (an sdist-only release), so there is no description to show.' };
    const { file, version } = found;
    const key = `${served.page.name}/${file.filename}`;
    const cached = metadataViews.get(key);
    if (cached) return { metadata: cached };
    try {
      const download = await pypi.openFile({ project: served.page.name, filename: `${file.filename}.metadata` });
      const view = coreMetadataViewOf(await bytesOf(download.body), version);
      metadataViews.set(key, view);
      return { metadata: view };
    } catch (err) {
      if (!isAppError(err)) throw err;
      return { metadataNote: `The core metadata of ${file.filename} could not be read: ${err.publicMessage}` };
    }
  }

  return consoleRouter({
    registry: 'pypi', ...(opts.peerUrl ? { peerUrl: opts.peerUrl } : {}), ...(opts.peerSearchUrl ? { peerSearchUrl: opts.peerSearchUrl } : {}), route, identity: opts.identity, policy: opts.policy, search,
    audit: CONSOLE_AUDIT, sessionTtlMs: opts.sessionTtlMs,
    callerOf: principalIfAny, publishRules: opts.publishRules, usage: opts.usage, now: opts.now,
    searchFacts: (req) => ({ event_type: 'pypi.index.list', extra: { operation: 'web', text: String(req.query['q'] ?? '').slice(0, 200) } }),
    packagesOf: async (user) => (await pypi.projectsOwnedBy(user)).map((name) => ({ name })),
  }, (router, kit) => {
    router.get(`${WEB_BASE}/project/:name`, route('read', (req) => ({ event_type: 'pypi.package.metadata', package: projectOf(req), extra: { operation: 'web' } }), async (req, res) => {
      const raw = String(req.params['name']);
      if (!isValidProjectName(raw)) throw new AppError('invalid_request', `not a project name: ${JSON.stringify(raw.slice(0, 100))}`);
      const name = normalizeProjectName(raw);
      if (name !== raw) return redirect(req, res, name);
      const served = await pypi.servedProject(name);
      const indexUrl = opts.publicUrl ?? `${req.protocol}://${req.host}`;
      const view = projectViewOf(served, { indexUrl, allVersions: req.query['versions'] === 'all', ...(await metadataOf(served)) });
      kit.send(res, 200, renderProjectPage(view, kit.chromeOf(req, res), await kit.usageOf(name)));
    }));
  });
}

const projectOf = (req: Request): string => {
  const raw = String(req.params['name']);
  return isValidProjectName(raw) ? normalizeProjectName(raw) : raw;
};

function redirect(req: Request, res: Response, name: string): void {
  const query = req.query['versions'] === 'all' ? 'versions=all' : undefined;
  res.redirect(301, projectHref(name, query));
}

async function bytesOf(body: unknown): Promise<Buffer> {
  if (Buffer.isBuffer(body)) return body;
  if (body === undefined || body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_METADATA_BYTES) throw new AppError('payload_too_large', `the metadata file is larger than ${MAX_METADATA_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
