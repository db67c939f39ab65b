// Test-only harness shared by the component specs (imported from *.spec.ts files only).
import { createHash } from 'node:crypto';
import type { Express } from 'express';
import { createHttpApp, createHttpMetrics, finishHttpApp } from '@registry/shared-http-server';
import { silentLogger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import type { AuditClient } from '@registry/audit-client';
import { createIdentityService } from '@registry/auth-identity';
import { createUpstreamClient } from '@registry/shared-upstream-http';
import { createNpmUpstreamClient } from '@registry/npm-upstream';
import { parsePublishRules } from '@registry/npm-service';
import { mountNpmRegistry, type NpmAppSettings } from '../app';
import { createReadThrough } from '@registry/storage-read-through';

export interface HarnessOptions {
  store: BlobStore;
  audit: AuditClient;
  upstreamUrl?: string;
  settings?: Partial<NpmAppSettings> & { rules?: string };
  trustProxy?: boolean;
}

export function buildTestApp(opts: HarnessOptions): Express {
  const logger = silentLogger;
  const app = createHttpApp({ logger, metrics: createHttpMetrics('npm_test'), trustProxy: opts.trustProxy ?? false });
  const http = opts.upstreamUrl
    ? createUpstreamClient({ allowedOrigins: [new URL(opts.upstreamUrl).origin], userAgent: 't', logger, maxSockets: 8, connectTimeoutMs: 2000, headersTimeoutMs: 5000, bodyTimeoutMs: 5000 })
    : undefined;
  const upstream = http && opts.upstreamUrl ? createNpmUpstreamClient({ baseUrl: opts.upstreamUrl, http, maxPackumentBytes: 50_000_000 }) : undefined;
  const identity = createIdentityService({ store: opts.store, logger, allowSignup: opts.settings?.allowSignup ?? true });
  mountNpmRegistry(app, { store: opts.store, upstream, readThrough: createReadThrough({ store: opts.store, logger }), identity, audit: opts.audit, logger }, {
    publicUrl: undefined,
    anonymousRead: true,
    allowSignup: true,
    policy: { privateScopes: new Set(['@private']), mergeAllowList: new Set() },
    publishRules: parsePublishRules(opts.settings?.rules),
    metadataTtlMs: 300_000,
    notFoundTtlMs: 30_000,
    maxCachedPackages: 100,
    maxCachedBytes: 64 * 1024 * 1024,
    localRevalidateMs: 1000,
    tarballCacheBytes: 8 * 1024 * 1024,
    packumentMaxAgeSeconds: 60,
    maxPublishBytes: 50_000_000,
    maxSearchSize: 250,
    ...opts.settings,
  });
  return finishHttpApp(app, logger);
}

/** A publish body the way npm (libnpmpublish) builds it. */
export function publishBody(name: string, version: string, tarball: Buffer, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const view = new Uint8Array(tarball.buffer as ArrayBuffer, tarball.byteOffset, tarball.byteLength);
  return {
    _id: name, name, description: `${name} package`, 'dist-tags': { latest: version }, access: 'public',
    versions: {
      [version]: {
        name, version, description: `${name} package`, keywords: ['fixture'], ...extra,
        dist: {
          integrity: `sha512-${createHash('sha512').update(view).digest('base64')}`,
          shasum: createHash('sha1').update(view).digest('hex'),
          tarball: `http://whatever/${name}/-/${name}-${version}.tgz`,
        },
      },
    },
    _attachments: { [`${name}-${version}.tgz`]: { content_type: 'application/octet-stream', data: tarball.toString('base64'), length: tarball.length } },
  };
}
