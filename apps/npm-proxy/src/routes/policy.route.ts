import express, { Router, type Response } from 'express';
import { AppError } from '@registry/shared-errors';
import type { PolicyAdmin } from '@registry/policy-firewall';
import { principalOf, type Route } from '../http/route';
import { noStore } from '../http/http-helpers';

/**
 * The firewall's admin API (README "Firewall"), admins only: `GET /-/policy` (what is held now and why, the
 * exemptions and when they expire), `GET|POST /-/policy/exemptions`, `DELETE /-/policy/exemptions/<id>`, `POST /-/policy/advisories/refresh` (reread the feed now).
 * Not registry operations, so no audit event (as `/-/ping`).
 */
export function policyRoutes(opts: { admin: PolicyAdmin; route: Route }): Router {
  const { admin, route } = opts;
  const router = Router();
  const json = express.json({ limit: '64kb' });

  router.get('/-/policy', route('user', () => ({}), (_req, res) => {
    adminOnly(res);
    noStore(res);
    res.json(admin.view());
  }));
  router.get('/-/policy/exemptions', route('user', () => ({}), (_req, res) => {
    adminOnly(res);
    noStore(res);
    res.json(admin.exemptions());
  }));
  router.post('/-/policy/exemptions', route('user', () => ({}), async (req, res) => {
    const by = adminOnly(res);
    res.status(201).json(await admin.addExemption(req.body, by));
  }, json));
  router.post('/-/policy/advisories/refresh', route('user', () => ({}), async (_req, res) => {
    adminOnly(res);
    res.json(await admin.refreshAdvisories());
  }));
  router.delete('/-/policy/exemptions/:id', route('user', () => ({}), async (req, res) => {
    adminOnly(res);
    await admin.removeExemption(req.params['id'] as string);
    res.json({ ok: true });
  }));
  return router;
}

function adminOnly(res: Response): string {
  const { user } = principalOf(res);
  if (!user.roles.includes('admin')) throw new AppError('forbidden', 'the firewall policy is for admins only');
  return user.name;
}
