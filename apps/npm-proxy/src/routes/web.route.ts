import type { Request, Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { isValidPackageName } from '@registry/npm-protocol';
import type { NpmService } from '@registry/npm-service';
import { declareAudit } from '@registry/audit-http';
import { claimedUserName, type IdentityService } from '@registry/auth-identity';
import type { PolicyAdmin } from '@registry/policy-firewall';
import { consoleRouter, type ConsoleAudit, renderPackagePage, WEB_BASE, type LocalSearch, type PublishRulesView, type UsageSnapshotSource } from '@registry/web-console';
import { principalIfAny, type Route } from '../http/route';
import { baseUrlOf, queryString, type PublicUrlOptions } from '../http/http-helpers';
import { packageViewOf } from '../web/package-view';

/** How many private packages an account page looks through for the user's own. */
const OWN_PACKAGES_SCAN = 250;

/**
 * The console's account and token forms are the events `npm login`, `npm token` and `PUT /-/admin/users` record
 * (`npm.user.login`, routes/user.route.ts), with `extra.operation=console-*`; names as the clients' routes record them.
 */
const CONSOLE_AUDIT: ConsoleAudit = {
  accountFacts: (extra) => ({ event_type: 'npm.user.login', extra }),
  declare: declareAudit,
  claimedName: claimedUserName,
};

/**
 * The web console on the npm registry (README "Web console"): the shared console (login, account, admin, the
 * search over both registries) plus npm's package pages, over the same use-cases, access rule (`read`) and
 * audit events as the clients' routes.
 */
export function webRoutes(opts: PublicUrlOptions & { npm: NpmService; route: Route; identity: IdentityService; policy: PolicyAdmin; peerUrl: string | undefined; peerSearchUrl: string | undefined; sessionTtlMs: number; publishRules: PublishRulesView; usage: UsageSnapshotSource; now: () => number }): Router {
  const { npm, route } = opts;
  const search: LocalSearch = async (query) => {
    const answer = await npm.search(query);
    return {
      total: answer.response.total,
      hits: answer.response.objects.map((o) => ({ name: o.package.name, version: o.package.version, ...(o.package.description ? { description: o.package.description } : {}) })),
      ...(answer.upstreamFailed ? { notice: 'The upstream search failed: only packages published here are listed.' } : {}),
    };
  };
  return consoleRouter({
    registry: 'npm', ...(opts.peerUrl ? { peerUrl: opts.peerUrl } : {}), ...(opts.peerSearchUrl ? { peerSearchUrl: opts.peerSearchUrl } : {}), route, identity: opts.identity, policy: opts.policy, search,
    audit: CONSOLE_AUDIT, sessionTtlMs: opts.sessionTtlMs,
    callerOf: principalIfAny, publishRules: opts.publishRules, usage: opts.usage, now: opts.now,
    searchFacts: (req) => ({ event_type: 'npm.search', extra: { operation: 'web', text: (queryString(req.query['q']) ?? '').slice(0, 200) } }),
    // Private packages only (an empty search never asks the upstream), by maintainer.
    packagesOf: async (user) => (await npm.search({ text: '', size: OWN_PACKAGES_SCAN, from: 0 })).response.objects
      .filter((o) => o.package.maintainers.some((m) => m.username === user))
      .map((o) => ({ name: o.package.name, version: o.package.version })),
  }, (router, kit) => {
    const packagePage = route('read', (req) => ({ event_type: 'npm.package.metadata', package: packageNameOf(req), extra: { operation: 'web' } }), async (req, res) => {
      const name = packageNameOf(req);
      if (!isValidPackageName(name)) throw new AppError('invalid_request', `not a package name: ${JSON.stringify(name.slice(0, 100))}`);
      const resolved = await npm.packument(name);
      const served = npm.served(resolved.state);
      const view = packageViewOf(resolved, served, { baseUrl: baseUrlOf(req, res, opts), allVersions: req.query['versions'] === 'all' });
      kit.send(res, 200, renderPackagePage(view, kit.chromeOf(req, res), await kit.usageOf(name)));
    });
    router.get(`${WEB_BASE}/package/:name`, packagePage);
    router.get(`${WEB_BASE}/package/:scope/:name`, packagePage);
  });
}

function packageNameOf(req: Request): string {
  const scope = req.params['scope'];
  const name = req.params['name'] as string;
  return typeof scope === 'string' ? `${scope}/${name}` : name;
}
