import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { abortOnClose } from '@registry/shared-http-server';
import { versionFromFilename } from '@registry/npm-protocol';
import type { TarballService } from '@registry/npm-service';
import { audit, handler, npmLocals } from '../http/npm-context';
import { parseRange } from '../http/http-helpers';

/**
 * `GET|HEAD /<name>/-/<file>.tgz` (§3.5): exact bytes, `application/octet-stream`, never a Content-Encoding,
 * immutable caching, single byte ranges on cached files.
 */
export function tarballRoutes(opts: { tarballs: TarballService }): Router {
  const router = Router();
  router.get('/:name/-/:file', handler(async (req, res) => {
    const name = req.params['name'] as string;
    const file = req.params['file'] as string;
    audit(res, { event_type: 'npm.package.download', package: name, filename: file, version: versionFromFilename(name, file) ?? null, source: 'cache' });
    const signal = abortOnClose(res);
    const rangeHeader = req.get('range');
    const tarball = await opts.tarballs.open(name, file, { signal, ...(rangeHeader ? { range: (size: number) => parseRange(rangeHeader, size) } : {}) });
    if (tarball.source === 'upstream') audit(res, { event_type: 'npm.package.download.upstream', source: 'upstream' });
    res.set({
      'content-type': 'application/octet-stream',
      'cache-control': 'public, max-age=31536000, immutable',
      'accept-ranges': 'bytes',
    });
    if (tarball.range && tarball.size !== undefined) {
      res.status(206).set({
        'content-range': `bytes ${tarball.range.start}-${tarball.range.end}/${tarball.size}`,
        'content-length': String(tarball.range.end - tarball.range.start + 1),
      });
    } else if (tarball.size !== undefined) {
      res.set('content-length', String(tarball.size));
    }
    const body = tarball.body;
    if (Buffer.isBuffer(body)) {
      res.end(req.method === 'HEAD' ? undefined : body);
      return;
    }
    if (req.method === 'HEAD' && tarball.source === 'cache') {
      body.destroy();
      res.end();
      return;
    }
    if (tarball.size !== undefined) {
      await pipeline(body, res, { signal });
      return;
    }
    // Only a body of unknown length needs counting for its audit event (Content-Length covers the rest).
    let bytes = 0;
    body.on('data', (chunk: Buffer) => (bytes += chunk.length));
    try {
      await pipeline(body, res, { signal });
    } finally {
      npmLocals(res).bytes = bytes;
    }
  }));
  return router;
}
