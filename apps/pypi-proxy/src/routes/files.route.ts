import { pipeline } from 'node:stream/promises';
import { Router, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { isValidProjectName, normalizeProjectName } from '@registry/pypi-protocol';
import type { ByteRange } from '@registry/storage-blob-store';
import type { FileDownload, PypiService } from '@registry/pypi-service';
import { requestContext } from '../http/request-context';

/**
 * Distribution files and their PEP 658 `.metadata` under our own path: `/files/<project>/<filename>`.
 * Immutable (content-addressed by sha256), so they are cacheable forever; HEAD and single Range
 * requests are honoured on stored files (uv's lazy metadata reads, protocols §8.11).
 */
export function filesRouter(service: PypiService): Router {
  const router = Router();
  router.get('/files/:project/:filename', async (req, res) => {
    const raw = String(req.params['project']);
    if (!isValidProjectName(raw)) throw new AppError('not_found', `not a valid project name: ${raw}`);
    const project = normalizeProjectName(raw);
    const filename = String(req.params['filename']);
    const headOnly = req.method === 'HEAD';
    const range = parseRange(req.get('range'));
    const ctx = requestContext(req, res);
    const file = await service.download({ project, filename, headOnly, ...(range ? { range } : {}) }, ctx);
    setFileHeaders(res, file);
    if (file.sha256 !== null && ifNoneMatchHits(req.get('if-none-match'), file.sha256)) {
      file.body?.destroy();
      return res.status(304).end();
    }
    if (file.range !== undefined && file.size !== null) {
      res.status(206).set({
        'Content-Range': `bytes ${file.range.start}-${file.range.end}/${file.size}`,
        'Content-Length': String(file.range.end - file.range.start + 1),
      });
    } else {
      res.status(200);
      if (file.size !== null) res.set('Content-Length', String(file.size));
    }
    if (file.body === undefined) return res.end();
    await pipeline(file.body, res, { signal: ctx.signal as AbortSignal });
    return undefined;
  });
  return router;
}

function setFileHeaders(res: Response, file: FileDownload): void {
  res.set({
    'Content-Type': file.contentType,
    'Cache-Control': 'public, max-age=31536000, immutable',
    'Accept-Ranges': 'bytes',
  });
  if (file.sha256 !== null) res.set('ETag', `"${file.sha256}"`);
  if (file.lastModified !== null) res.set('Last-Modified', file.lastModified.toUTCString());
  if (file.source === 'upstream') res.set('X-Registry-Cache', 'miss');
}

/** One `bytes=a-b`, `bytes=a-` or `bytes=-n` range; anything else is ignored (200 with the whole file). */
function parseRange(header: string | undefined): ByteRange | undefined {
  const m = header === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (m === null || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') return { start: -Number(m[2]), end: Number.MAX_SAFE_INTEGER };
  const start = Number(m[1]);
  const end = m[2] === '' ? Number.MAX_SAFE_INTEGER : Number(m[2]);
  if (end < start) throw new AppError('range_not_satisfiable', `invalid range ${header}`);
  return { start, end };
}

function ifNoneMatchHits(header: string | undefined, sha256: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === `"${sha256}"`);
}
