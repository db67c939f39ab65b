import type { Express, Request, RequestHandler } from 'express';
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

/** The largest tarball kept in memory: 1/8 of the budget, at most 4 MiB (most npm tarballs are far smaller). */
const maxTarballInMemory = (budget: number): number => Math.min(4 * 1024 * 1024, Math.floor(budget / 8));

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
  /** NPM_PACKUMENT_CACHE_BYTES. */
  maxCachedBytes: number;
  /** NPM_LOCAL_REVALIDATE_MS: bound on how late another instance's publish shows up here. */
  localRevalidateMs: number;
  /** NPM_TARBALL_CACHE_BYTES: hot tarballs served from memory. */
  tarballCacheBytes: number;
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
    maxCachedBytes: settings.maxCachedBytes, localRevalidateMs: settings.localRevalidateMs,
  });
  const tarballs = new TarballService({ store: deps.store, reader, upstream: deps.upstream, readThrough: deps.readThrough,
    memory: { maxBytes: settings.tarballCacheBytes, maxItemBytes: maxTarballInMemory(settings.tarballCacheBytes) },
  });
  const publisher = new Publisher({ store: deps.store, reader, rules: settings.publishRules });
  const changes = new PackageChanges({ store: deps.store, reader, rules: settings.publishRules });
  const search = new SearchService({ reader, upstream: deps.upstream, policy: settings.policy, logger: deps.logger });

  app.use((req, _res, next) => {
    req.url = normalizeNpmPath(req.url);
    next();
  });
  app.use(auditRecorder(deps.audit));
  app.use(authenticator(deps.identity, { anonymousRead: settings.anonymousRead }));
  // Every user, meta and dist-tag route lives under `/-/`, and write routes never answer a GET: skipping those
  // routers up front spares the hot reads (packuments, tarballs) a walk through ~20 routes each (issue 8).
  app.use(onlyWhen(isDashPath, userRoutes({ identity: deps.identity, allowSignup: settings.allowSignup })));
  app.use(onlyWhen(isDashPath, metaRoutes({ search, upstream: deps.upstream, maxSearchSize: settings.maxSearchSize })));
  app.use(onlyWhen(isDashPath, distTagRoutes({ reader, changes })));
  app.use(tarballRoutes({ tarballs }));
  app.use(onlyWhen((req) => req.method !== 'GET' && req.method !== 'HEAD', writeRoutes({ publisher, changes, maxBodyBytes: settings.maxPublishBytes })));
  app.use(packumentRoutes({
    reader, publicUrl: settings.publicUrl, maxAgeSeconds: settings.packumentMaxAgeSeconds, privateReads: !settings.anonymousRead,
  }));
  return { reader };
}

const isDashPath = (req: Request): boolean => req.path.startsWith('/-/');

/** Runs `router` only for requests it can answer; the others go straight on. */
const onlyWhen = (applies: (req: Request) => boolean, router: RequestHandler): RequestHandler =>
  (req, res, next) => (applies(req) ? router(req, res, next) : next());
