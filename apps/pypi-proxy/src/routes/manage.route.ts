import express, { Router, type Request, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import { declareAudit } from '@registry/audit-http';
import type { IdentityService } from '@registry/auth-identity';
import { normalizeProjectName, parseProjectStatus } from '@registry/pypi-protocol';
import type { PrivateFileRecord, PypiService } from '@registry/pypi-service';
import { principalOf, type Route } from '../http/route';

/**
 * The small management API (README "Admin API"), JSON in and out, authenticated like uploads:
 * - `POST /-/api/pypi/<project>/<filename>/yank` `{ "reason": "..." }` and `.../unyank` (owners, admins)
 * - `DELETE /-/api/pypi/<project>/<filename>` (admins; the filename can never be reused)
 * - `PUT /-/api/pypi/<project>/status` `{ "status": "archived", "reason"?: "..." }` (owners, admins; PEP 792)
 * - `POST /-/api/pypi/tokens` `{ "description"?: "..." }` → `{ token }` for the authenticated user
 */
export function manageRouter(opts: { pypi: PypiService; identity: IdentityService; route: Route }): Router {
  const { pypi, identity, route } = opts;
  const router = Router();
  const json = express.json({ limit: '16kb', strict: false });
  const noStore = (res: Response) => res.set('Cache-Control', 'no-store');
  const fileEvent = (operation: string) => (req: Request) => ({
    event_type: 'pypi.package.metadata' as const, ...target(req), extra: { operation },
  });
  const declared = (res: Response, file: PrivateFileRecord) => declareAudit(res, { version: file.version, size: file.size });

  router.post('/-/api/pypi/tokens', json, route('user', () => ({}), async (req, res) => {
    const principal = principalOf(res);
    if (principal.via !== 'password') throw new AppError('forbidden', 'Create tokens with your password, not with a token.');
    const description = typeof req.body?.description === 'string' ? req.body.description : 'pypi upload token';
    const { secret, info } = await identity.createToken(principal.user.name, { description });
    noStore(res).status(201).json({ token: secret, key: info.key, user: info.user });
  }));

  // A distribution filename always has an extension, so `status` never names a file.
  router.put('/-/api/pypi/:project/status', json, route('user', (req) => ({
    event_type: 'pypi.package.metadata' as const, package: target(req).package, extra: { operation: 'status' },
  }), async (req, res) => {
    const status = parseProjectStatus(req.body);
    declareAudit(res, { extra: { status: status.status } });
    const set = await pypi.setProjectStatus(target(req).package, status, principalOf(res));
    noStore(res).json({ 'project-status': set });
  }));

  router.post('/-/api/pypi/:project/:filename/:operation', json, route('user', (req) => fileEvent(String(req.params['operation']))(req), async (req, res) => {
    const operation = req.params['operation'];
    if (operation !== 'yank' && operation !== 'unyank') throw new AppError('not_found', `unknown operation ${operation}`);
    const reason = typeof req.body?.reason === 'string' ? req.body.reason : '';
    const { package: project, filename } = target(req);
    const file = await pypi.setYanked(project, filename, operation === 'yank' ? reason : false, principalOf(res));
    declared(res, file);
    noStore(res).json(describe(file));
  }));

  router.delete('/-/api/pypi/:project/:filename', route('user', fileEvent('delete'), async (req, res) => {
    const { package: project, filename } = target(req);
    const file = await pypi.deleteFile(project, filename, principalOf(res));
    declared(res, file);
    noStore(res).json({ deleted: file.filename });
  }));

  return router;
}

const target = (req: Request) => ({ package: normalizeProjectName(String(req.params['project'])), filename: String(req.params['filename'] ?? '') });

const describe = (file: PrivateFileRecord) => ({
  filename: file.filename, version: file.version, sha256: file.sha256, size: file.size,
  yanked: file.yanked !== false, yanked_reason: file.yanked === false ? null : file.yanked,
});
