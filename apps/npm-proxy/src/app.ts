import type { Express } from 'express';
import type { AuditClient } from '@registry/audit-client';
import type { IdentityService } from '@registry/auth-identity';
import type { Logger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import { normalizeNpmPath } from '@registry/npm-protocol';
import {
  PackageChanges, PackageReader, Publisher, SearchService, TarballService,
  type NpmUpstream, type PublishRule, type TarballReadThrough, type UpstreamPolicy,
} from '@registry/npm-service';
import { auditRecorder, authenticator } from './http/npm-context';
import { distTagRoutes } from './routes/dist-tags.routes';
import { metaRoutes } from './routes/meta.routes';
import { packumentRoutes } from './routes/packument.routes';
import { tarballRoutes } from './routes/tarball.routes';
import { userRoutes } from './routes/user.routes';
import { writeRoutes } from './routes/write.routes';

export interface NpmAppDeps {
  store: BlobStore;
  upstream: NpmUpstream | undefined;
  readThrough: TarballReadThrough;
  identity: IdentityService;
  audit: AuditClient;
  logger: Logger;
}

export interface NpmAppSettings {
  publicUrl: string | undefined;
  anonymousRead: boolean;
  allowSignup: boolean;
  policy: UpstreamPolicy;
  publishRules: PublishRule[];
  metadataTtlMs: number;
  notFoundTtlMs: number;
  maxCachedPackages: number;
  packumentMaxAgeSeconds: number;
  maxPublishBytes: number;
  maxSearchSize: number;
}

/**
 * Mounts the npm registry on an app from createHttpApp (before finishHttpApp). Route order follows
 * protocols.md §9: meta routes, then tarballs, then packuments; scoped names are normalized first (§3.1).
 */
export function mountNpmRegistry(app: Express, deps: NpmAppDeps, settings: NpmAppSettings): { reader: PackageReader } {
  const reader = new PackageReader({
    store: deps.store, upstream: deps.upstream, policy: settings.policy, logger: deps.logger,
    metadataTtlMs: settings.metadataTtlMs, notFoundTtlMs: settings.notFoundTtlMs, maxCachedPackages: settings.maxCachedPackages,
  });
  const tarballs = new TarballService({ store: deps.store, reader, upstream: deps.upstream, readThrough: deps.readThrough });
  const publisher = new Publisher({ store: deps.store, reader, rules: settings.publishRules });
  const changes = new PackageChanges({ store: deps.store, reader, rules: settings.publishRules });
  const search = new SearchService({ reader, upstream: deps.upstream, policy: settings.policy, logger: deps.logger });

  app.use((req, _res, next) => {
    req.url = normalizeNpmPath(req.url);
    next();
  });
  app.use(auditRecorder(deps.audit));
  app.use(authenticator(deps.identity, { anonymousRead: settings.anonymousRead }));
  app.use(userRoutes({ identity: deps.identity, allowSignup: settings.allowSignup }));
  app.use(metaRoutes({ search, upstream: deps.upstream, maxSearchSize: settings.maxSearchSize }));
  app.use(distTagRoutes({ reader, changes }));
  app.use(tarballRoutes({ tarballs }));
  app.use(writeRoutes({ publisher, changes, maxBodyBytes: settings.maxPublishBytes }));
  app.use(packumentRoutes({
    reader, publicUrl: settings.publicUrl, maxAgeSeconds: settings.packumentMaxAgeSeconds, privateReads: !settings.anonymousRead,
  }));
  return { reader };
}
