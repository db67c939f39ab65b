import express, { Router } from 'express';
import type { PackageChanges, PackageReader } from '@registry/npm-service';
import { actorOf, audit, handler, requirePrincipal } from '../http/npm-context';
import { noStore } from '../http/http-helpers';

/**
 * `/-/package/<name>/dist-tags[/<tag>]` (§4.5). `npm dist-tag add` sends a bare JSON string, so the body
 * parser runs with `strict: false` (§8 item 22). Every change is an `npm.dist-tags.update` event.
 */
export function distTagRoutes(opts: { reader: PackageReader; changes: PackageChanges }): Router {
  const router = Router();
  const json = express.json({ strict: false, limit: '16kb', type: () => true });

  router.get('/-/package/:name/dist-tags', handler(async (req, res) => {
    const name = req.params['name'] as string;
    audit(res, { event_type: 'npm.package.metadata', package: name, extra: { operation: 'dist-tag-ls' } });
    const { state } = await opts.reader.resolve(name);
    noStore(res);
    res.json(state.doc['dist-tags']);
  }));

  const setTag = handler(async (req, res) => {
    const name = req.params['name'] as string;
    const tag = req.params['tag'] as string;
    const version = typeof req.body === 'string' ? req.body : null;
    audit(res, { event_type: 'npm.dist-tags.update', package: name, version, extra: { operation: 'add', tag } });
    const principal = requirePrincipal(res);
    await opts.changes.setDistTag(name, tag, req.body, actorOf(principal));
    noStore(res);
    res.status(201).json({ ok: true, [tag]: version });
  });
  router.put('/-/package/:name/dist-tags/:tag', json, setTag);
  router.post('/-/package/:name/dist-tags/:tag', json, setTag);

  router.delete('/-/package/:name/dist-tags/:tag', handler(async (req, res) => {
    const name = req.params['name'] as string;
    const tag = req.params['tag'] as string;
    audit(res, { event_type: 'npm.dist-tags.update', package: name, extra: { operation: 'rm', tag } });
    const principal = requirePrincipal(res);
    await opts.changes.removeDistTag(name, tag, actorOf(principal));
    noStore(res);
    res.status(200).json({ ok: true });
  }));

  return router;
}
