import express, { Router } from 'express';
import { declareAudit } from '@registry/audit-http';
import { isPublishBody, parsePublishBody, tarballFilename, versionFromFilename } from '@registry/npm-protocol';
import type { NpmService } from '@registry/npm-service';
import { actorOf, principalOf, type Route } from '../http/route';
import { noStore } from '../http/http-helpers';

/**
 * Publish, deprecate and unpublish (protocols §4.2-§4.4). Bodies are JSON with base64 tarballs, so the limit is
 * raised well above Express's 100 kB default (protocols §8.23).
 */
export function writeRoutes(opts: { npm: NpmService; route: Route; maxBodyBytes: number }): Router {
  const { npm, route } = opts;
  const router = Router();
  const json = express.json({ limit: opts.maxBodyBytes, strict: false, type: ['application/json', '*/json', 'text/plain'] });
  const publishEvent = (operation: string) => (req: express.Request) => ({ event_type: 'npm.package.publish' as const, package: req.params['name'] as string, extra: { operation } });

  const putDocument = (withRev: boolean) => route('user', publishEvent('publish'), async (req, res) => {
    const name = req.params['name'] as string;
    const actor = actorOf(principalOf(res));
    noStore(res);
    if (isPublishBody(req.body)) {
      const publish = parsePublishBody(name, req.body);
      declareAudit(res, { version: publish.version, filename: tarballFilename(name, publish.version), size: publish.tarball.length });
      await npm.publish(publish, actor);
      res.status(201).json({ ok: 'created new package', success: true });
      return;
    }
    const result = await npm.applyDocument(name, req.body, withRev, actor);
    declareAudit(res, { version: result.versions.join(',') || null, extra: { operation: result.operation } });
    res.status(200).json({ ok: true, success: true });
  }, json);

  router.put('/:name', putDocument(false));
  router.put('/:name/-rev/:rev', putDocument(true));

  router.delete('/:name/-rev/:rev', route('user', publishEvent('unpublish'), async (req, res) => {
    const actor = actorOf(principalOf(res));
    noStore(res);
    const result = await npm.unpublishAll(req.params['name'] as string, actor);
    declareAudit(res, { version: result.versions.join(',') || null });
    res.status(200).json({ ok: true, success: true });
  }));

  router.delete('/:name/-/:file/-rev/:rev', route('user', (req) => {
    const name = req.params['name'] as string;
    const file = req.params['file'] as string;
    return { ...publishEvent('unpublish-tarball')(req), filename: file, version: versionFromFilename(name, file) ?? null };
  }, async (req, res) => {
    const name = req.params['name'] as string;
    const actor = actorOf(principalOf(res));
    noStore(res);
    await npm.deleteTarball(name, versionFromFilename(name, req.params['file'] as string), actor);
    res.status(200).json({ ok: true, success: true });
  }));

  return router;
}
