import express, { Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { declareAudit } from '@registry/audit-http';
import { representationOf, sendRepresentation } from '@registry/shared-http-server';
import type { NpmService } from '@registry/npm-service';
import type { Route } from '../http/route';
import { queryString } from '../http/http-helpers';

const EMPTY_LEGACY_AUDIT = {
  actions: [], advisories: {}, muted: [],
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }, dependencies: 0, devDependencies: 0, optionalDependencies: 0, totalDependencies: 0 },
};
const AUDIT_PATHS = ['/-/npm/v1/security/advisories/bulk', '/-/npm/v1/security/audits/quick', '/-/npm/v1/security/audits'];

/**
 * `/-/ping`, `/-/v1/search` (protocols §5.1), the registry keys document (protocols §14) and the audit endpoints,
 * forwarded to the upstream without private names (protocols §5.2).
 */
export function metaRoutes(opts: { npm: NpmService; route: Route; maxSearchSize: number }): Router {
  const { npm, route } = opts;
  const router = Router();

  router.get('/-/ping', route('public', () => ({}), (_req, res) => {
    res.json({});
  }));

  router.get('/-/v1/search', route('read', (req) => ({ event_type: 'npm.search', extra: { text: (queryString(req.query['text']) ?? '').slice(0, 200) } }), async (req, res) => {
    const text = queryString(req.query['text']) ?? '';
    const size = clampInt(queryString(req.query['size']), 20, 1, opts.maxSearchSize);
    const from = clampInt(queryString(req.query['from']), 0, 0, 100_000);
    res.set('cache-control', 'private, max-age=60');
    const answer = await npm.search({ text, size, from });
    if (answer.upstreamFailed) res.set('warning', '199 - "upstream search failed; private packages only"');
    res.json(answer.response);
  }));

  router.get('/-/npm/v1/keys', route('read', () => ({ event_type: 'npm.package.metadata', extra: { operation: 'keys' } }), async (req, res) => {
    const keys = await npm.keys();
    if (keys === undefined) throw new AppError('not_found', 'this registry serves no signing keys');
    declareAudit(res, { source: keys.source });
    await sendRepresentation(req, res, representationOf(Buffer.from(JSON.stringify(keys.document)), { contentType: 'application/json', label: 'keys' }), {
      cacheControl: 'public, max-age=300',
    });
  }));

  // npm sends audit bodies gzipped; express.json inflates them (protocols §4.1).
  const json = express.json({ limit: '64mb', strict: false });
  for (const path of AUDIT_PATHS) {
    router.post(path, route('read', () => ({ event_type: 'npm.package.metadata', extra: { operation: 'audit', endpoint: path } }), async (req, res) => {
      const answer = await npm.forwardAudit(path, req.body);
      if (answer !== undefined) declareAudit(res, { extra: { withheld: String(answer.withheld) } });
      if (answer === undefined) {
        res.json(path.endsWith('/bulk') ? {} : EMPTY_LEGACY_AUDIT);
        return;
      }
      if (answer.allow !== undefined) res.set('allow', answer.allow);
      res.status(answer.status).type(answer.contentType).send(answer.body);
    }, json));
  }

  return router;
}

function clampInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = raw === undefined ? fallback : Number.parseInt(raw, 10);
  if (!Number.isFinite(n)) throw new AppError('invalid_request', `not a number: ${raw}`);
  return Math.min(max, Math.max(min, n));
}
