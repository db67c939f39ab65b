// Test-only harness shared by the component specs: the app exactly as main.ts builds it (createApp), from a
// configuration parsed by the app's own schema, over the store and audit fake a spec passes in.
import { createHash } from 'node:crypto';
import { Registry } from 'prom-client';
import type { Express } from 'express';
import { loadConfig } from '@registry/shared-config';
import { createHttpMetrics, type HttpMetrics } from '@registry/shared-http-server';
import { silentLogger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import type { AuditClient } from '@registry/audit-client';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { startFixtureRegistry, type FixtureRegistry } from '@registry/npm-testing';
import { worldStarter, type PrivateWorld, type ProxiedWorld, type WorldOptions } from '@registry/shared-testing';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import type { PrivateAdvisories } from '@registry/npm-service';
import { createApp, type RegistryApp } from '../app';
import { NpmProxyEnv } from '../config';

export interface HarnessOptions {
  store: BlobStore;
  audit: AuditClient;
  upstreamUrl?: string;
  /** Configuration variables, as main.ts would read them from the environment. */
  env?: Record<string, string>;
  /** The service's metrics, for a spec that reads them; default a fresh registry. */
  metrics?: HttpMetrics;
  privateAdvisories?: PrivateAdvisories;
  /** The app's clock (the firewall's cooldown reads it at every request). */
  now?: () => number;
}

const TEST_ENV = {
  NPM_PRIVATE_SCOPES: '@private', NPM_METADATA_CACHE_ENTRIES: '100', NPM_TARBALL_CACHE_BYTES: String(8 * 1024 * 1024),
  NPM_MAX_PUBLISH_BYTES: '50000000', NPM_MAX_METADATA_BYTES: '50000000', NPM_UPSTREAM_CONNECT_TIMEOUT_MS: '2000', NPM_UPSTREAM_TIMEOUT_MS: '5000',
};

export async function createHarness(opts: HarnessOptions): Promise<RegistryApp> {
  const config = loadConfig(NpmProxyEnv, { ...TEST_ENV, ...(opts.upstreamUrl ? { NPM_UPSTREAM_URL: opts.upstreamUrl } : {}), ...opts.env });
  return createApp(config, {
    store: opts.store, audit: opts.audit, logger: silentLogger, metrics: opts.metrics ?? createHttpMetrics('npm_test', new Registry()),
    ...(opts.privateAdvisories ? { privateAdvisories: opts.privateAdvisories } : {}),
    ...(opts.now ? { now: opts.now } : {}),
  });
}

export async function buildTestApp(opts: HarnessOptions): Promise<Express> {
  return (await createHarness(opts)).app;
}

/** A spec's whole world (pypi-proxy: the same): fresh fakes and a fixture upstream, the app over them, closed together. */
export const startHarness = worldStarter(
  () => ({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient() }),
  { start: () => startFixtureRegistry(), stop: (upstream: FixtureRegistry) => upstream.close() },
  ({ upstream, ...fakes }, opts: WorldOptions<HarnessOptions>, more: Partial<Pick<HarnessOptions, 'env' | 'store' | 'upstreamUrl'>> = {}): Promise<RegistryApp> =>
    createHarness({ ...opts, ...fakes, ...(upstream ? { upstreamUrl: upstream.url } : {}), ...more }),
);
export type TestHarness = ProxiedWorld<typeof startHarness>;
export type PrivateTestHarness = PrivateWorld<typeof startHarness>;

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
