import { Router, type Request } from 'express';
import { AppError } from '@registry/shared-errors';
import { declareAudit } from '@registry/audit-http';
import { markStale, representationOf, sendRepresentation } from '@registry/shared-http-server';
import { isValidProjectName, negotiateIntegrityFormat, normalizeProjectName, parseIntegrityProvenancePath } from '@registry/pypi-protocol';
import type { PypiService } from '@registry/pypi-service';
import type { Route } from '../http/route';

/**
 * The PEP 740 Integrity API (protocols §11): `/integrity/<project>/<version>/<filename>/provenance`, JSON only,
 * the media type negotiated as the upstream index does (anything but its two JSON types is a 406 with its body).
 * Upstream files' provenance is proxied byte for byte and cached like every upstream document.
 */
export function integrityRouter(opts: { pypi: PypiService; route: Route; maxAgeSeconds: number }): Router {
  const { pypi, route } = opts;
  const router = Router();
  const cacheControl = `max-age=${opts.maxAgeSeconds}`;

  router.get('/integrity/:project/:version/:filename/provenance', route('read', facts, async (req, res) => {
    res.setHeader('Vary', 'Accept');
    const mediaType = negotiateIntegrityFormat(req.get('accept'));
    if (mediaType === undefined) return res.status(406).json({ message: 'Request not acceptable' });
    const loc = parseIntegrityProvenancePath(req.path);
    if (loc === undefined || !isValidProjectName(loc.project)) throw new AppError('not_found', 'not an Integrity API path');
    const answer = await pypi.provenance({ ...loc, project: normalizeProjectName(loc.project) });
    declareAudit(res, { source: answer.source, ...(answer.stale ? { extra: { stale: 'true' } } : {}) });
    if (answer.stale) markStale(res);
    return sendRepresentation(req, res, representationOf(answer.body, { contentType: mediaType, label: 'provenance' }), { cacheControl });
  }));

  return router;
}

function facts(req: Request) {
  const loc = parseIntegrityProvenancePath(req.path);
  return {
    event_type: 'pypi.package.metadata' as const,
    package: loc && isValidProjectName(loc.project) ? normalizeProjectName(loc.project) : String(req.params['project']),
    version: loc?.version ?? null,
    filename: loc?.filename ?? null,
    extra: { operation: 'provenance' },
  };
}
