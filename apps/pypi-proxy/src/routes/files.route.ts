import { Router, type Request } from 'express';
import { AppError } from '@registry/shared-errors';
import { declareAudit, declareServedFrom } from '@registry/audit-http';
import { abortOnClose, parseRange, sendBlob, type HotPath } from '@registry/shared-http-server';
import { isValidProjectName, normalizeProjectName } from '@registry/pypi-protocol';
import type { PypiService } from '@registry/pypi-service';
import type { Route } from '../http/route';

const isMetadataFile = (filename: string): boolean => filename.endsWith('.metadata');

/**
 * Distribution files and their PEP 658 `.metadata` under our own path: `/files/<project>/<filename>`.
 * Immutable (content-addressed by sha256), so they are cacheable forever; HEAD and single Range requests are
 * honoured on stored files (uv's lazy metadata reads, protocols §8.11), and a HEAD never downloads (protocols §8.12).
 * With download redirects on, a whole GET of a stored file is a 302 to its object (docs/deployment.md "Download redirects").
 */
export function filesRouter(opts: { pypi: PypiService; route: Route; hot: HotPath; privateReads: boolean }): Router {
  const { pypi, route } = opts;
  // With anonymous reads off, only the caller's own cache may keep a file.
  const cacheControl = `${opts.privateReads ? 'private' : 'public'}, max-age=31536000, immutable`;
  const router = Router();
  opts.hot.get(router, '/files/:project/:filename', route('read', (req) => facts(req), async (req, res) => {
    const raw = String(req.params['project']);
    if (!isValidProjectName(raw)) throw new AppError('not_found', `not a valid project name: ${raw}`);
    const filename = String(req.params['filename']);
    const signal = abortOnClose(res);
    const rangeHeader = req.get('range');
    const file = await pypi.openFile({
      project: normalizeProjectName(raw), filename, headOnly: req.method === 'HEAD', signal,
      ...(rangeHeader ? { range: (size: number) => parseRange(rangeHeader, size) } : {}),
    });
    declareServedFrom(res, file);
    declareAudit(res, {
      version: file.version ?? null,
      ...(file.source === 'upstream' && !file.isMetadata ? { event_type: 'pypi.package.download.upstream' as const } : {}),
      ...(file.policy ? { extra: { policy: file.policy } } : {}),
    });
    return sendBlob(req, res, file, {
      contentType: file.contentType, cacheControl, etag: file.sha256 === undefined ? undefined : `"${file.sha256}"`, lastModified: file.lastModified,
    }, signal);
  }));
  return router;
}

function facts(req: Request) {
  const raw = String(req.params['project']);
  const filename = String(req.params['filename']);
  return {
    event_type: isMetadataFile(filename) ? ('pypi.package.metadata' as const) : ('pypi.package.download' as const),
    package: isValidProjectName(raw) ? normalizeProjectName(raw) : raw,
    filename,
  };
}
