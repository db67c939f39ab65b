import express, { Router, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import type { PolicyAdmin } from '@registry/policy-firewall';
import { principalOf, type Route } from '../http/route';

/**
 * The firewall's admin API (README "Firewall"), admins only, the same paths as npm-proxy's: `GET /-/policy`,
 * `GET|POST /-/policy/exemptions`, `DELETE /-/policy/exemptions/<id>`, `POST /-/policy/advisories/refresh` (reread the feed now). Not index operations: no audit event.
 */
export function policyRouter(opts: { admin: PolicyAdmin; route: Route }): Router {
  const { admin, route } = opts;
  const router = Router();
  const json = express.json({ limit: '64kb' });
  const noStore = (res: Response) => res.set('Cache-Control', 'private, no-cache, no-store');

  router.get('/-/policy', route('user', () => ({}), (_req, res) => {
    adminOnly(res);
    noStore(res).json(admin.view());
  }));
  router.get('/-/policy/exemptions', route('user', () => ({}), (_req, res) => {
    adminOnly(res);
    noStore(res).json(admin.exemptions());
  }));
  router.post('/-/policy/exemptions', route('user', () => ({}), async (req, res) => {
    const by = adminOnly(res);
    // Parsed only once the caller is an admin.
    await new Promise<void>((resolve, reject) => json(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
    res.status(201).json(await admin.addExemption(req.body, by));
  }));
  router.post('/-/policy/advisories/refresh', route('user', () => ({}), async (_req, res) => {
    adminOnly(res);
    res.json(await admin.refreshAdvisories());
  }));
  router.delete('/-/policy/exemptions/:id', route('user', () => ({}), async (req, res) => {
    adminOnly(res);
    await admin.removeExemption(String(req.params['id']));
    res.json({ ok: true });
  }));
  return router;
}

function adminOnly(res: Response): string {
  const { user } = principalOf(res);
  if (!user.roles.includes('admin')) throw new AppError('forbidden', 'the firewall policy is for admins only');
  return user.name;
}
