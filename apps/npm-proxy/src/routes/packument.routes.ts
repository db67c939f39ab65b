import { Router, type Request, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { ABBREVIATED_MEDIA_TYPE, wantsAbbreviated, withTarballUrls, tarballPath } from '@registry/npm-protocol';
import type { PackageReader, RenderedDocument } from '@registry/npm-service';
import { audit, handler } from '../http/npm-context';
import { acceptsGzip, baseUrlOf, matchesIfNoneMatch, noStore, type PublicUrlOptions } from '../http/http-helpers';

export interface PackumentRouteOptions extends PublicUrlOptions {
  reader: PackageReader;
  /** Cache-Control max-age for packuments (clients revalidate with the ETag after it). */
  maxAgeSeconds: number;
  /** `private` when reads need credentials (§6.2 "anything that required auth"). */
  privateReads: boolean;
}

/** `GET /<name>` (full or abbreviated, §3.2) and `GET /<name>/<version-or-tag>` (§3.7). */
export function packumentRoutes(opts: PackumentRouteOptions): Router {
  const router = Router();

  router.get('/:name', handler(async (req, res) => {
    const name = req.params['name'] as string;
    audit(res, { event_type: 'npm.package.metadata', package: name });
    if (req.query['write'] === 'true') {
      const doc = await opts.reader.forWrite(name);
      const base = baseUrlOf(req, opts);
      noStore(res);
      res.json(withTarballUrls(doc, (v) => base + tarballPath(name, v)));
      return;
    }
    const { state, fetchedUpstream } = await opts.reader.resolve(name);
    audit(res, { source: fetchedUpstream ? 'upstream' : 'cache' });
    const rendered = opts.reader.rendered(state, baseUrlOf(req, opts));
    const abbreviated = wantsAbbreviated(req.get('accept'));
    await sendDocument(req, res, abbreviated ? rendered.abbreviated : rendered.full, abbreviated ? ABBREVIATED_MEDIA_TYPE : 'application/json', opts);
  }));

  router.get('/:name/:versionOrTag', handler(async (req, res) => {
    const name = req.params['name'] as string;
    const wanted = req.params['versionOrTag'] as string;
    audit(res, { event_type: 'npm.package.metadata', package: name, extra: { operation: 'version' } });
    const { state, fetchedUpstream } = await opts.reader.resolve(name);
    audit(res, { source: fetchedUpstream ? 'upstream' : 'cache' });
    const version = state.doc['dist-tags'][wanted] ?? wanted;
    const manifest = state.doc.versions[version];
    if (!manifest) throw new AppError('not_found', `version not found: ${name}@${wanted}`);
    audit(res, { version });
    const base = baseUrlOf(req, opts);
    res.set('cache-control', `${opts.privateReads ? 'private' : 'public'}, max-age=${opts.maxAgeSeconds}`);
    res.json({ ...manifest, dist: { ...manifest.dist, tarball: base + tarballPath(name, version) } });
  }));

  return router;
}

async function sendDocument(req: Request, res: Response, doc: RenderedDocument, contentType: string, opts: PackumentRouteOptions): Promise<void> {
  res.set({
    'content-type': `${contentType}; charset=utf-8`,
    vary: 'Accept, Accept-Encoding, Authorization',
    etag: doc.etag,
    'cache-control': `${opts.privateReads ? 'private' : 'public'}, max-age=${opts.maxAgeSeconds}`,
  });
  if (doc.lastModified) res.set('last-modified', new Date(doc.lastModified).toUTCString());
  if (matchesIfNoneMatch(req, doc.etag)) {
    res.status(304).end();
    return;
  }
  const body = acceptsGzip(req) ? await doc.gzipped() : doc.body;
  if (body !== doc.body) res.set('content-encoding', 'gzip');
  res.set('content-length', String(body.length));
  res.status(200).end(req.method === 'HEAD' ? undefined : body);
}
