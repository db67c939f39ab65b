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
  PYPI_NOT_FOUND_TTL_MS: '0', PYPI_PRIVATE_RECHECK_MS: '0', PYPI_MAX_UPLOAD_BYTES: String(10 * 1024 * 1024),
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

export interface StartHarnessOptions extends Omit<HarnessOptions, 'store' | 'audit' | 'upstream'> {
  /** Start a fixture upstream and proxy it (default); false: a private-only index. */
  upstream?: boolean;
}

/** What another instance over the same world may change: its configuration, or the upstream it is pointed at. */
export type InstanceOptions = Pick<HarnessOptions, 'env' | 'upstream'>;

/** A spec's whole world: the app over fresh fakes and a fixture upstream, closed together. */
export interface TestHarness extends Harness {
  store: InMemoryBlobStore;
  audit: RecordingAuditClient;
  upstream: FixtureUpstream;
  /** Creates an account and returns a token of its own (what twine sends as `__token__`'s password). */
  userToken(name: string, password: string): Promise<string>;
  /** A second instance over the same store, audit and upstream (another replica); its caller closes it. */
  instance(opts?: InstanceOptions): Promise<Harness>;
  /** Closes this app and starts a new one over the same world (a restart, a configuration change). */
  restart(opts?: InstanceOptions): Promise<TestHarness>;
}

export type PrivateTestHarness = Omit<TestHarness, 'upstream' | 'restart'> & { restart(opts?: InstanceOptions): Promise<PrivateTestHarness> };

export async function startHarness(opts?: StartHarnessOptions & { upstream?: true }): Promise<TestHarness>;
export async function startHarness(opts: StartHarnessOptions & { upstream: false }): Promise<PrivateTestHarness>;
export async function startHarness(opts: StartHarnessOptions = {}): Promise<TestHarness | PrivateTestHarness> {
  const { upstream: proxied = true, ...rest } = opts;
  const store = new InMemoryBlobStore();
  const audit = new RecordingAuditClient();
  const upstream = proxied ? await startFixtureUpstream() : undefined;
  const instance = (more: InstanceOptions = {}) => createHarness({ ...rest, store, audit, ...(upstream ? { upstream } : {}), ...more });
  const world = (app: Harness): TestHarness => ({
    ...app, store, audit, upstream: upstream as FixtureUpstream, instance,
    userToken: async (name, password) => {
      await app.identity.createUser({ name, password });
      return (await app.identity.createToken(name)).secret;
    },
    restart: async (more) => {
      await app.close();
      return world(await instance(more));
    },
    close: async () => {
      await app.close();
      await upstream?.stop();
    },
  });
  return world(await instance());
}
