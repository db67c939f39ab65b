import { Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { ownValue } from '@registry/shared-util';
import { declareAudit, declareServedFrom } from '@registry/audit-http';
import { markStale, representationOf, sendRepresentation, type HotPath } from '@registry/shared-http-server';
import { ABBREVIATED_MEDIA_TYPE, manifestFor, versionWithRegistryUrls, wantsAbbreviated, withRegistryUrls } from '@registry/npm-protocol';
import type { NpmService } from '@registry/npm-service';
import { isDashPathname, type Route } from '../http/route';
import { REFLECTED_HOST_VARY, baseUrlOf, noStore, type PublicUrlOptions } from '../http/http-helpers';

export interface PackumentRouteOptions extends PublicUrlOptions {
  npm: NpmService;
  route: Route;
  hot: HotPath;
  /** Cache-Control max-age for packuments (clients revalidate with the ETag after it), seconds. */
  maxAgeSeconds: number;
  /** `private` when reads need credentials (protocols §6.2). */
  privateReads: boolean;
}

/** The last good copy, served because the upstream failed or is marked unhealthy (the PyPI side says it alike). */

const FULL_TYPE = 'application/json; charset=utf-8';
const CORGI_TYPE = `${ABBREVIATED_MEDIA_TYPE}; charset=utf-8`;

/** `GET /<name>` (full or abbreviated, protocols §3.2) and `GET /<name>/<version-or-tag>` (protocols §3.7). */
export function packumentRoutes(opts: PackumentRouteOptions): Router {
  const { npm, route } = opts;
  const router = Router();
  const cacheControl = `${opts.privateReads ? 'private' : 'public'}, max-age=${opts.maxAgeSeconds}`;
  const vary = `Accept, Accept-Encoding, Authorization${opts.publicUrl ? '' : `, ${REFLECTED_HOST_VARY}`}`;

  opts.hot.get(router, '/:name', route('read', (req) => ({ event_type: 'npm.package.metadata', package: req.params['name'] as string }), async (req, res) => {
    const name = req.params['name'] as string;
    if (req.query['write'] === 'true') {
      const doc = await npm.packumentForWrite(name);
      const base = baseUrlOf(req, res, opts);
      noStore(res);
      res.json(withRegistryUrls(doc, base));
      return;
    }
    const resolved = await npm.packument(name);
    declareServedFrom(res, resolved);
    if (resolved.stale) markStale(res);
    const served = npm.served(resolved.state);
    if (served.facts) declareAudit(res, { extra: served.facts });
    const rendered = served.rendered(baseUrlOf(req, res, opts));
    const abbreviated = wantsAbbreviated(req.get('accept'));
    const rep = abbreviated
      ? representationOf(rendered.abbreviated, { contentType: CORGI_TYPE, label: 'corgi', lastModified: rendered.lastModified })
      : representationOf(rendered.full, { contentType: FULL_TYPE, label: 'full', lastModified: rendered.lastModified });
    await sendRepresentation(req, res, rep, { cacheControl, vary });
  }), { unless: isDashPathname });

  router.get('/:name/:versionOrTag', route('read', (req) => ({
    event_type: 'npm.package.metadata', package: req.params['name'] as string, extra: { operation: 'version' },
  }), async (req, res) => {
    const name = req.params['name'] as string;
    const wanted = req.params['versionOrTag'] as string;
    const resolved = await npm.packument(name);
    declareServedFrom(res, resolved);
    if (resolved.stale) markStale(res);
    const served = npm.served(resolved.state);
    const tagged = ownValue(served.doc['dist-tags'], wanted);
    const version = typeof tagged === 'string' ? tagged : wanted;
    declareAudit(res, { version });
    const policy = served.check(version);
    if (policy) declareAudit(res, { extra: { policy } });
    const found = manifestFor(served.doc, wanted);
    if (!found) throw new AppError('not_found', `version not found: ${name}@${wanted}`);
    const { manifest } = found;
    const base = baseUrlOf(req, res, opts);
    res.set('cache-control', cacheControl);
    res.json(versionWithRegistryUrls(name, version, manifest, base));
  }));

  return router;
}
