import { Router } from 'express';
import { declareAudit, declareServedFrom } from '@registry/audit-http';
import { abortOnClose, parseRange, sendBlob, type HotPath } from '@registry/shared-http-server';
import { versionFromFilename } from '@registry/npm-protocol';
import type { NpmService } from '@registry/npm-service';
import { isDashPathname, type Route } from '../http/route';

/**
 * `GET|HEAD /<name>/-/<file>.tgz` (protocols §3.5): exact bytes, `application/octet-stream`, never a
 * Content-Encoding, immutable caching, single byte ranges on cached files, HEAD without a download. With download
 * redirects on, a whole GET of a cached tarball is a 302 to its object (docs/deployment.md "Download redirects").
 */
export function tarballRoutes(opts: { npm: NpmService; route: Route; hot: HotPath }): Router {
  const { npm, route } = opts;
  const router = Router();
  opts.hot.get(router, '/:name/-/:file', route('read', (req) => {
    const name = req.params['name'] as string;
    const file = req.params['file'] as string;
    return { event_type: 'npm.package.download', package: name, filename: file, version: versionFromFilename(name, file) ?? null, source: 'cache' };
  }, async (req, res) => {
    const signal = abortOnClose(res);
    const rangeHeader = req.get('range');
    const tarball = await npm.tarball(req.params['name'] as string, req.params['file'] as string, {
      signal, headOnly: req.method === 'HEAD', ...(rangeHeader ? { range: (size: number) => parseRange(rangeHeader, size) } : {}),
    });
    declareServedFrom(res, tarball);
    if (tarball.source === 'upstream') declareAudit(res, { event_type: 'npm.package.download.upstream' });
    if (tarball.policy) declareAudit(res, { extra: { policy: tarball.policy } });
    await sendBlob(req, res, tarball, { contentType: 'application/octet-stream', cacheControl: 'public, max-age=31536000, immutable' }, signal);
  }), { unless: isDashPathname });
  return router;
}
