import express, { type Response } from 'express';
import request from 'supertest';
import type { PolicyAdmin } from '@registry/policy-firewall';
import { policyRoutes, type UserRoute } from './policy-routes';

/** The caller comes from a header here (the apps use their principal); `route` runs `run` like theirs. */
const route: UserRoute = (_access, _facts, run) => async (req, res, next) => {
  try { await run(req, res); } catch (err) { next(err); }
};
const callerOf = (res: Response) => {
  const who = String(res.req.headers['x-test-user'] ?? '');
  return { name: who, roles: who === 'root' ? ['admin'] : ['publisher'] };
};

function appWith(admin: Partial<PolicyAdmin>) {
  const app = express();
  app.use(policyRoutes({ admin: admin as PolicyAdmin, route, callerOf }));
  app.use((err: Error & { code?: string }, _req: express.Request, res: Response, _next: express.NextFunction) => {
    res.status(err.code === 'forbidden' ? 403 : 500).json({ error: err.message });
  });
  return app;
}

describe('policy admin routes', () => {
  it('admins read the view and add exemptions (body parsed, recorded with their name); others get 403 and nothing is parsed', async () => {
    const added: Array<[unknown, string]> = [];
    const app = appWith({
      view: () => ({ held: [] }),
      addExemption: async (body: unknown, by: string) => { added.push([body, by]); return { id: 'x1' }; },
    });
    const view = await request(app).get('/-/policy').set('x-test-user', 'root').expect(200);
    expect(view.body).toEqual({ held: [] });
    expect(view.headers['cache-control']).toBe('private, no-cache, no-store');
    await request(app).post('/-/policy/exemptions').set('x-test-user', 'root').send({ name: 'lodash', reason: 'r' }).expect(201);
    await request(app).post('/-/policy/exemptions').set('x-test-user', 'alice').send({ name: 'evil' }).expect(403);
    await request(app).get('/-/policy').set('x-test-user', 'alice').expect(403);
    expect(added).toEqual([[{ name: 'lodash', reason: 'r' }, 'root']]);
  });
});
