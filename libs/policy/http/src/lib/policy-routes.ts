import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import type { PolicyAdmin } from '@registry/policy-firewall';

/** The app's own `route` for callers with credentials (authentication, audit, body parsing after the check). */
export type UserRoute = (
  access: 'user',
  facts: () => Record<never, never>,
  run: (req: Request, res: Response) => Promise<unknown> | unknown,
) => RequestHandler;

export interface PolicyRoutesOptions {
  admin: PolicyAdmin;
  route: UserRoute;
  /** The authenticated caller of a `user` route (the app's principal). */
  callerOf: (res: Response) => { name: string; roles: readonly string[] };
}

const noStore = (res: Response): Response => res.set('Cache-Control', 'private, no-cache, no-store');

/**
 * The firewall's admin API (README "Firewall"), admins only, the same paths in both registries: `GET /-/policy`
 * (what is held now and why, the exemptions and when they expire), `GET|POST /-/policy/exemptions`,
 * `DELETE /-/policy/exemptions/<id>`, `POST /-/policy/advisories/refresh` (reread the feed now). Not registry
 * operations, so no audit event (as `/-/ping`).
 */
export function policyRoutes(opts: PolicyRoutesOptions): Router {
  const { admin, route } = opts;
  const router = Router();
  const adminOnly = (res: Response): string => {
    const caller = opts.callerOf(res);
    if (!caller.roles.includes('admin')) throw new AppError('forbidden', 'the firewall policy is for admins only');
    return caller.name;
  };
  const asAdmin = (run: (req: Request, res: Response, by: string) => Promise<unknown> | unknown) =>
    route('user', () => ({}), (req, res) => run(req, res, adminOnly(res)));
  // A body is parsed only once the caller is known to be an admin.
  const json = express.json({ limit: '64kb' });
  const readJson = (req: Request, res: Response) => new Promise<void>((resolve, reject) => json(req, res, (err?: unknown) => (err ? reject(err) : resolve())));

  router.get('/-/policy', asAdmin((_req, res) => noStore(res).json(admin.view())));
  router.get('/-/policy/exemptions', asAdmin((_req, res) => noStore(res).json(admin.exemptions())));
  router.post('/-/policy/exemptions', asAdmin(async (req, res, by) => {
    await readJson(req, res);
    res.status(201).json(await admin.addExemption(req.body, by));
  }));
  router.post('/-/policy/advisories/refresh', asAdmin(async (_req, res) => res.json(await admin.refreshAdvisories())));
  router.delete('/-/policy/exemptions/:id', asAdmin(async (req, res) => {
    await admin.removeExemption(String(req.params['id']));
    res.json({ ok: true });
  }));
  return router;
}
