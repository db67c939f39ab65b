import express, { Router } from 'express';
import { declareAudit } from '@registry/audit-http';
import type { NpmService } from '@registry/npm-service';
import { actorOf, principalOf, type Route } from '../http/route';
import { noStore } from '../http/http-helpers';

const nameOf = (req: express.Request): string => req.params['name'] as string;

/**
 * `/-/package/<name>/dist-tags[/<tag>]` (protocols §4.5). `npm dist-tag add` sends a bare JSON string, so the
 * body parser runs with `strict: false` (protocols §8.22). Every change is an `npm.dist-tags.update` event.
 */
export function distTagRoutes(opts: { npm: NpmService; route: Route }): Router {
  const { npm, route } = opts;
  const router = Router();
  const json = express.json({ strict: false, limit: '16kb', type: () => true });

  router.get('/-/package/:name/dist-tags', route('read', (req) => ({ event_type: 'npm.package.metadata', package: nameOf(req), extra: { operation: 'dist-tag-ls' } }), async (req, res) => {
    const { state } = await npm.packument(nameOf(req));
    noStore(res);
    res.json(state.doc['dist-tags']);
  }));

  const setTag = route('user', (req) => ({
    event_type: 'npm.dist-tags.update', package: nameOf(req), extra: { operation: 'add', tag: req.params['tag'] as string },
  }), async (req, res) => {
    const tag = req.params['tag'] as string;
    declareAudit(res, { version: typeof req.body === 'string' ? req.body : null });
    await npm.setDistTag(nameOf(req), tag, req.body, actorOf(principalOf(res)));
    noStore(res);
    res.status(201).json({ ok: true, [tag]: typeof req.body === 'string' ? req.body : null });
  }, json);
  router.put('/-/package/:name/dist-tags/:tag', setTag);
  router.post('/-/package/:name/dist-tags/:tag', setTag);

  router.delete('/-/package/:name/dist-tags/:tag', route('user', (req) => ({
    event_type: 'npm.dist-tags.update', package: nameOf(req), extra: { operation: 'rm', tag: req.params['tag'] as string },
  }), async (req, res) => {
    await npm.removeDistTag(nameOf(req), req.params['tag'] as string, actorOf(principalOf(res)));
    noStore(res);
    res.status(200).json({ ok: true });
  }));

  return router;
}
