import { Router, type Request } from 'express';
import { AppError } from '@registry/shared-errors';
import { declareAudit } from '@registry/audit-http';
import { representationOf, sendRepresentation } from '@registry/shared-http-server';
import { parseAttestationsPath } from '@registry/npm-protocol';
import type { NpmService } from '@registry/npm-service';
import type { Route } from '../http/route';

const SEGMENT = '/-/npm/v1/attestations/';

/**
 * npm fetches `<configured registry> + <path of dist.attestations.url>` (protocols §15): behind an ingress that
 * mounts this registry under `/npm`, that is `/npm/-/npm/v1/...` here. Any path ending in the segment is one.
 */
export const isAttestationsPath = (req: Request): boolean => req.path.includes(SEGMENT);

/** `GET .../-/npm/v1/attestations/<name>@<version>`: an upstream version's attestations, byte for byte. */
export function attestationRoutes(opts: { npm: NpmService; route: Route; privateReads: boolean }): Router {
  const { npm, route } = opts;
  const router = Router();
  const cacheControl = `${opts.privateReads ? 'private' : 'public'}, max-age=300`;
  router.get(/\/-\/npm\/v1\/attestations\/.+$/, route('read', facts, async (req, res) => {
    const spec = parseAttestationsPath(req.path);
    if (spec === undefined) throw new AppError('not_found', 'not an attestations path: name@version expected');
    const answer = await npm.attestations(spec.name, spec.version);
    declareAudit(res, { source: answer.source, ...(answer.stale ? { extra: { stale: 'true' } } : {}) });
    await sendRepresentation(req, res, representationOf(answer.body, { contentType: 'application/json', label: 'attestations' }), { cacheControl });
  }));
  return router;
}

function facts(req: Request) {
  const spec = parseAttestationsPath(req.path);
  return { event_type: 'npm.package.metadata' as const, package: spec?.name ?? null, version: spec?.version ?? null, extra: { operation: 'attestations' } };
}
