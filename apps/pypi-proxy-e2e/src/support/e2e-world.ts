import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { readAuditEvents, startAuditGateway, type ConsumedAuditMessage, type RunningAuditGateway } from '@registry/audit-testing';
import { startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { pythonClients, type PythonClients } from './python-clients';
import { startProxy, type ProxyProcess } from './proxy-process';

/** Settings of the real services (from `requireServicesEnv()` in the spec file). */
export interface ServicesSettings {
  kafkaBrokers: string[];
  s3: { endpoint: string; region: string; bucket: string; accessKeyId: string; secretAccessKey: string; forcePathStyle: boolean };
}

export const uniqueSuffix = (): string => `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;

export const ADMIN = { user: 'e2e-admin', password: 'e2e-admin-password-1' };

/** What one suite shares: clients, a temp dir, a fixture upstream, the real gateway on a fresh topic. */
export interface E2eWorld {
  clients: PythonClients;
  dir: string;
  services: ServicesSettings;
  upstream: FixtureUpstream;
  gateway: RunningAuditGateway;
  topic: string;
  /** A fresh temp dir for one client run (its HOME and caches). */
  freshDir(name: string): Promise<string>;
  /** A proxy with its own empty store, wired to the upstream and the gateway. */
  startProxy(opts?: { env?: Record<string, string>; upstream?: boolean }): Promise<ProxyProcess>;
  /** Reads the suite's topic until `until` holds. */
  auditEvents(until: (events: ConsumedAuditMessage['event'][]) => boolean): Promise<ConsumedAuditMessage['event'][]>;
  close(): Promise<void>;
}

/** `venv` is the clients venv (globalSetup), `services` the real Kafka and S3 (requireServicesEnv). */
export async function createE2eWorld(suite: string, services: ServicesSettings, venv: string | undefined): Promise<E2eWorld> {
  const clients = pythonClients(venv);
  const dir = await mkdtemp(path.join(tmpdir(), `pypi-e2e-${suite}-`));
  const temp = { dir, remove: () => rm(dir, { recursive: true, force: true }) };
  const topic = `pypi-e2e-${suite}-${uniqueSuffix()}`;
  const upstream = await startFixtureUpstream();
  const gateway = await startAuditGateway({ kafkaBrokers: services.kafkaBrokers.join(','), topic, dataDir: path.join(temp.dir, 'gateway') });
  const proxies: ProxyProcess[] = [];
  let counter = 0;
  const world: E2eWorld = {
    clients, dir: temp.dir, services, upstream, gateway, topic,
    freshDir: async (name) => {
      const dir = path.join(temp.dir, `${name}-${++counter}`);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    startProxy: async (opts = {}) => {
      const dataDir = await world.freshDir('proxy-data');
      const proxy = await startProxy({
        DATA_DIR: dataDir,
        AUDIT_GATEWAY_ADDR: gateway.address,
        REGISTRY_ADMIN_USER: ADMIN.user,
        REGISTRY_ADMIN_PASSWORD: ADMIN.password,
        ...(opts.upstream === false ? {} : { PYPI_UPSTREAM_URL: upstream.indexUrl, PYPI_UPSTREAM_FILES_URL: upstream.filesUrl }),
        ...opts.env,
      });
      proxies.push(proxy);
      return proxy;
    },
    auditEvents: async (until) => {
      const messages = await readAuditEvents({
        brokers: services.kafkaBrokers.join(','), topic, timeoutMs: 60_000, until: (m) => until(m.map((x) => x.event)),
      });
      return messages.map((m) => m.event);
    },
    close: async () => {
      await Promise.all(proxies.map((p) => p.stop()));
      await gateway.stop();
      await upstream.stop();
      await temp.remove();
    },
  };
  return world;
}

/** Upstream requests made while `action` ran. */
export async function upstreamRequestsDuring(world: E2eWorld, action: () => Promise<unknown>): Promise<string[]> {
  const before = world.upstream.requests.length;
  await action();
  return world.upstream.requests.slice(before);
}
