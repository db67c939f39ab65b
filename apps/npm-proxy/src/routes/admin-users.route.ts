import express, { Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { claimedUserName, type IdentityService } from '@registry/auth-identity';
import { principalOf, type Route } from '../http/route';
import { noStore } from '../http/http-helpers';

/**
 * `PUT /-/admin/users/<name>` `{ password, email?, admin? }`: an admin creates an account. Deployed defaults
 * close sign-up (README "Security"), so this is how the first admin brings in everyone else; both registries
 * use the account (one identity store). An `npm.user.login` event: `extra.operation=admin-adduser`, `extra.user`
 * the admin, `extra.account` the new name.
 */
export function adminUserRoutes(opts: { identity: IdentityService; route: Route }): Router {
  const { identity, route } = opts;
  const router = Router();
  const json = express.json({ limit: '16kb', strict: true });
  router.put('/-/admin/users/:name', route('user', (req) => ({
    event_type: 'npm.user.login', extra: { operation: 'admin-adduser', account: claimedUserName(req.params['name'] as string) },
  }), async (req, res) => {
    const admin = principalOf(res).user;
    if (!admin.roles.includes('admin')) throw new AppError('forbidden', 'only admins create accounts');
    const body = (req.body ?? {}) as { password?: unknown; email?: unknown; admin?: unknown };
    if (typeof body.password !== 'string' || (body.email !== undefined && typeof body.email !== 'string') || (body.admin !== undefined && typeof body.admin !== 'boolean')) {
      throw new AppError('invalid_request', 'expected {"password": string, "email"?: string, "admin"?: boolean}');
    }
    const user = await identity.addUserAsAdmin(admin, {
      name: req.params['name'] as string, password: body.password, ...(typeof body.email === 'string' ? { email: body.email } : {}), admin: body.admin === true,
    });
    noStore(res);
    res.status(201).json({ ok: true, name: user.name, roles: user.roles });
  }, json));
  return router;
}
