import express, { Router } from 'express';
import { isPublishBody, parsePublishBody, tarballFilename, versionFromFilename } from '@registry/npm-protocol';
import type { PackageChanges, Publisher } from '@registry/npm-service';
import { actorOf, audit, handler, requirePrincipal } from '../http/npm-context';
import { noStore } from '../http/http-helpers';

/**
 * Publish, deprecate and unpublish (protocols.md §4.2-4.4). Bodies are JSON with base64 tarballs, so the
 * limit is raised well above Express's 100 kB default (§8 item 23).
 */
export function writeRoutes(opts: { publisher: Publisher; changes: PackageChanges; maxBodyBytes: number }): Router {
  const router = Router();
  const json = express.json({ limit: opts.maxBodyBytes, strict: false, type: ['application/json', '*/json', 'text/plain'] });

  const putDocument = (withRev: boolean) => handler(async (req, res) => {
    const name = req.params['name'] as string;
    audit(res, { event_type: 'npm.package.publish', package: name, extra: { operation: 'publish' } });
    const principal = requirePrincipal(res);
    noStore(res);
    if (isPublishBody(req.body)) {
      const publish = parsePublishBody(name, req.body);
      audit(res, { version: publish.version, filename: tarballFilename(name, publish.version), size: publish.tarball.length });
      await opts.publisher.publish(publish, actorOf(principal));
      res.status(201).json({ ok: 'created new package', success: true });
      return;
    }
    const result = await opts.changes.applyDocument(name, req.body, withRev, actorOf(principal));
    audit(res, { version: result.versions.join(',') || null, extra: { operation: result.operation } });
    res.status(200).json({ ok: true, success: true });
  });

  router.put('/:name', json, putDocument(false));
  router.put('/:name/-rev/:rev', json, putDocument(true));

  router.delete('/:name/-rev/:rev', handler(async (req, res) => {
    const name = req.params['name'] as string;
    audit(res, { event_type: 'npm.package.publish', package: name, extra: { operation: 'unpublish' } });
    const principal = requirePrincipal(res);
    noStore(res);
    const result = await opts.changes.unpublishAll(name, actorOf(principal));
    audit(res, { version: result.versions.join(',') || null });
    res.status(200).json({ ok: true, success: true });
  }));

  router.delete('/:name/-/:file/-rev/:rev', handler(async (req, res) => {
    const name = req.params['name'] as string;
    const file = req.params['file'] as string;
    const version = versionFromFilename(name, file);
    audit(res, { event_type: 'npm.package.publish', package: name, filename: file, version: version ?? null, extra: { operation: 'unpublish-tarball' } });
    const principal = requirePrincipal(res);
    noStore(res);
    await opts.changes.deleteTarball(name, version, actorOf(principal));
    res.status(200).json({ ok: true, success: true });
  }));

  return router;
}
