import express, { Router } from 'express';
import { AppError } from '@registry/shared-errors';
import type { NpmUpstream, SearchService } from '@registry/npm-service';
import { audit, handler } from '../http/npm-context';
import { queryString } from '../http/http-helpers';

const EMPTY_LEGACY_AUDIT = {
  actions: [], advisories: {}, muted: [],
  metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }, dependencies: 0, devDependencies: 0, optionalDependencies: 0, totalDependencies: 0 },
};

/** `/-/ping`, `/-/v1/search` (§5.1) and the audit endpoints forwarded to the upstream (§5.2). */
export function metaRoutes(opts: { search: SearchService; upstream: NpmUpstream | undefined; maxSearchSize: number }): Router {
  const router = Router();

  router.get('/-/ping', (_req, res) => {
    res.json({});
  });

  router.get('/-/v1/search', handler(async (req, res) => {
    const text = queryString(req.query['text']) ?? '';
    audit(res, { event_type: 'npm.search', extra: { text: text.slice(0, 200) } });
    const size = clampInt(queryString(req.query['size']), 20, 1, opts.maxSearchSize);
    const from = clampInt(queryString(req.query['from']), 0, 0, 100_000);
    res.set('cache-control', 'private, max-age=60');
    res.json(await opts.search.search({ text, size, from }));
  }));

  // npm sends audit bodies gzipped; express.json inflates them (§4.1).
  const json = express.json({ limit: '64mb', strict: false });
  for (const path of ['/-/npm/v1/security/advisories/bulk', '/-/npm/v1/security/audits/quick', '/-/npm/v1/security/audits']) {
    router.post(path, json, handler(async (req, res) => {
      audit(res, { event_type: 'npm.package.metadata', extra: { operation: 'audit', endpoint: path } });
      if (!opts.upstream) {
        res.json(path.endsWith('/bulk') ? {} : EMPTY_LEGACY_AUDIT);
        return;
      }
      let answer;
      try {
        answer = await opts.upstream.forwardAudit(path, req.body);
      } catch (err) {
        throw new AppError('upstream_unavailable', `the audit service of the upstream registry is unreachable: ${err instanceof Error ? err.message : String(err)}`);
      }
      res.status(answer.status).type(answer.contentType).send(answer.body);
    }));
  }

  return router;
}

function clampInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  const n = raw === undefined ? fallback : Number.parseInt(raw, 10);
  if (!Number.isFinite(n)) throw new AppError('invalid_request', `not a number: ${raw}`);
  return Math.min(max, Math.max(min, n));
}
