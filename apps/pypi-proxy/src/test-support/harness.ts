// Builds the app exactly as main.ts does, over the stores and fakes a spec passes in (component tests).
import { tmpdir } from 'node:os';
import { Registry } from 'prom-client';
import type { Express } from 'express';
import type { AuditClient } from '@registry/audit-client';
import { createIdentityService, type ManagedIdentityService } from '@registry/auth-identity';
import type { BlobStore } from '@registry/storage-blob-store';
import { silentLogger } from '@registry/shared-logger';
import { createHttpMetrics } from '@registry/shared-http-server';
import { createUpstreamClient } from '@registry/shared-upstream-http';
import { createPypiUpstream } from '@registry/pypi-upstream';
import { createPypiService } from '@registry/pypi-service';
import { createReadThrough } from '@registry/storage-read-through';
import { createPypiApp } from '../app';

export interface HarnessOptions {
  store: BlobStore;
  audit: AuditClient;
  upstream?: { indexUrl: string; filesUrl: string };
  metadataTtlMs?: number;
  mergeAllowlist?: string[];
  maxUploadBytes?: number;
}

export interface Harness {
  app: Express;
  identity: ManagedIdentityService;
  close(): Promise<void>;
}

export function createHarness(opts: HarnessOptions): Harness {
  const identity = createIdentityService({ store: opts.store, logger: silentLogger, allowSignup: true });
  const client = opts.upstream && createUpstreamClient({
    allowedOrigins: [new URL(opts.upstream.indexUrl).origin, opts.upstream.filesUrl],
    userAgent: 'pypi-proxy-test', connectTimeoutMs: 2_000, headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000, maxSockets: 8, logger: silentLogger,
  });
  const service = createPypiService({
    store: opts.store, audit: opts.audit, logger: silentLogger,
    readThrough: createReadThrough({ store: opts.store, logger: silentLogger }),
    upstream: client && opts.upstream ? createPypiUpstream({ client, indexUrl: opts.upstream.indexUrl }) : undefined,
    fileUrl: (project, filename) => `/files/${encodeURIComponent(project)}/${encodeURIComponent(filename)}`,
    simpleBase: '/simple',
    metadataTtlMs: opts.metadataTtlMs ?? 300_000,
    negativeTtlMs: 0,
    mergeAllowlist: opts.mergeAllowlist ?? [],
    privateRecheckMs: 0,
  });
  const app = createPypiApp({
    service, identity, logger: silentLogger, metrics: createHttpMetrics('pypi_test', new Registry()),
    uploadTmpDir: tmpdir(), maxUploadBytes: opts.maxUploadBytes ?? 10 * 1024 * 1024,
  });
  return { app, identity, close: async () => client?.close() };
}
