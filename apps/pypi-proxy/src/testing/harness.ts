// Test-only harness shared by the component specs: the app exactly as main.ts builds it (createApp), from a
// configuration parsed by the app's own schema, over the store and audit fake a spec passes in.
import { Registry } from 'prom-client';
import type { AuditClient } from '@registry/audit-client';
import { RecordingAuditClient } from '@registry/audit-client/testing';
import { createIdentityService, type ManagedIdentityService } from '@registry/auth-identity';
import { loadConfig } from '@registry/shared-config';
import { createHttpMetrics, type HttpMetrics } from '@registry/shared-http-server';
import { silentLogger } from '@registry/shared-logger';
import type { BlobStore } from '@registry/storage-blob-store';
import { InMemoryBlobStore } from '@registry/storage-blob-store/testing';
import { startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { worldStarter, type PrivateWorld, type ProxiedWorld, type WorldOptions } from '@registry/shared-testing';
import { createApp, type RegistryApp } from '../app';
import { PypiProxyEnv } from '../config';

export interface HarnessOptions {
  store: BlobStore;
  audit: AuditClient;
  upstream?: { indexUrl: string; filesUrl: string };
  /** Configuration variables, as main.ts would read them from the environment. */
  env?: Record<string, string>;
  /** The service's metrics, for a spec that reads them; default a fresh registry. */
  metrics?: HttpMetrics;
  /** The app's clock (the firewall's cooldown reads it at every request). */
  now?: () => number;
}

export interface Harness extends RegistryApp {
  /** Users sign up through npm-proxy (one identity store for both registries); this plays that part. */
  identity: ManagedIdentityService;
}

const TEST_ENV = {
  PYPI_NOT_FOUND_TTL_MS: '0', PYPI_PRIVATE_RECHECK_MS: '0', PYPI_PROJECT_LIST_RECHECK_MS: '0', PYPI_MAX_UPLOAD_BYTES: String(10 * 1024 * 1024),
  PYPI_UPSTREAM_CONNECT_TIMEOUT_MS: '2000', PYPI_UPSTREAM_TIMEOUT_MS: '5000',
};

export async function createHarness(opts: HarnessOptions): Promise<Harness> {
  const upstream = opts.upstream ? { PYPI_UPSTREAM_URL: opts.upstream.indexUrl, PYPI_UPSTREAM_FILES_URL: opts.upstream.filesUrl } : {};
  const config = loadConfig(PypiProxyEnv, { ...TEST_ENV, ...upstream, ...opts.env });
  const registry = await createApp(config, { store: opts.store, audit: opts.audit, logger: silentLogger, metrics: opts.metrics ?? createHttpMetrics('pypi_test', new Registry()),
    ...(opts.now ? { now: opts.now } : {}),
  });
  return { ...registry, identity: createIdentityService({ store: opts.store, logger: silentLogger, allowSignup: true }) };
}

/** A spec's whole world (npm-proxy: the same): fresh fakes and a fixture upstream, the app over them, closed together. */
export const startHarness = worldStarter(
  () => ({ store: new InMemoryBlobStore(), audit: new RecordingAuditClient() }),
  { start: () => startFixtureUpstream(), stop: (upstream: FixtureUpstream) => upstream.stop() },
  ({ upstream, ...fakes }, opts: WorldOptions<HarnessOptions>, more: Partial<Pick<HarnessOptions, 'env' | 'upstream'>> = {}): Promise<Harness> =>
    createHarness({ ...opts, ...fakes, ...(upstream ? { upstream } : {}), ...more }),
);
export type TestHarness = ProxiedWorld<typeof startHarness>;
export type PrivateTestHarness = PrivateWorld<typeof startHarness>;
