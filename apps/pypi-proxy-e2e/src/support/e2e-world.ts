import path from 'node:path';
import { mkdir } from 'node:fs/promises';
import { startAuditedTopic, type AuditEvent } from '@registry/audit-testing';
import { startFixtureUpstream, type FixtureUpstream } from '@registry/pypi-testing';
import { makeTempDir, requireServicesEnv, uniqueSuffix, type ServicesEnv } from '@registry/shared-testing';
import { asFixtureFiles, buildPackage, type BuiltPackage, type PackageSpec, type ServedPackage } from './build-distributions';
import { pythonClients, type PythonClients } from './python-clients';
import { createToken, startProxy, type ProxyProcess } from './proxy-process';

export const ADMIN = { user: 'e2e-admin', password: 'e2e-admin-password-1' };

export interface E2eWorldOptions {
  /** What the upstream serves from the start, each spec a project of its own (`served` finds them); `serveTree` adds more. */
  packages?: PackageSpec[];
}

/** What one suite shares (npm-proxy-e2e has the same): clients, a temp dir, a fixture upstream, the real gateway on a fresh topic. */
export interface E2eWorld {
  clients: PythonClients;
  dir: string;
  /** The real Kafka and S3 (requireServicesEnv). */
  services: ServicesEnv;
  upstream: FixtureUpstream;
  /** A fresh temp dir for one client run (its HOME and caches). */
  freshDir(name: string): Promise<string>;
  /** Builds a wheel and an sdist of `spec` with the real `python -m build`. */
  build(spec: PackageSpec): Promise<BuiltPackage>;
  /** Builds `specs` and serves each as a project of the upstream (with PEP 658 metadata). */
  serveTree(specs: PackageSpec[]): Promise<ServedPackage[]>;
  /** A project the world serves, by name. */
  served(project: string): ServedPackage;
  /** A proxy with its own empty store, wired to the upstream and the gateway (`upstream: false`: a private registry). */
  startProxy(opts?: { env?: Record<string, string>; upstream?: boolean }): Promise<ProxyProcess>;
  /** A token of the admin (twine's `__token__` password), from `proxy`'s token API. */
  adminToken(proxy: ProxyProcess): Promise<string>;
  /** Reads the suite's topic until `until` holds. */
  auditEvents(until: (events: AuditEvent[]) => boolean): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

/** `env` is the spec's environment: the real services' settings (requireServicesEnv), the clients venv (globalSetup). */
export async function createE2eWorld(suite: string, env: NodeJS.ProcessEnv, opts: E2eWorldOptions = {}): Promise<E2eWorld> {
  const services = requireServicesEnv(env);
  const clients = pythonClients(env['PYPI_E2E_CLIENTS_VENV']);
  const temp = await makeTempDir(`pypi-e2e-${suite}-`);
  const upstream = await startFixtureUpstream();
  const audit = await startAuditedTopic({ kafkaBrokers: services.kafkaBrokers, topic: `pypi-e2e-${suite}-${uniqueSuffix()}`, dataDir: path.join(temp.dir, 'gateway') });
  const proxies: ProxyProcess[] = [];
  const served = new Map<string, ServedPackage>();
  let counter = 0;
  const world: E2eWorld = {
    clients, dir: temp.dir, services, upstream,
    freshDir: async (name) => {
      const dir = path.join(temp.dir, `${name}-${++counter}`);
      await mkdir(dir, { recursive: true });
      return dir;
    },
    build: (spec) => buildPackage(clients, temp.dir, spec),
    serveTree: async (specs) => {
      const tree: ServedPackage[] = [];
      for (const spec of specs) {
        const files = await asFixtureFiles(await world.build(spec), spec.name);
        const pkg = { project: spec.name, files, wheel: files[0] };
        upstream.setProject(spec.name, files);
        served.set(spec.name, pkg);
        tree.push(pkg);
      }
      return tree;
    },
    served: (project) => {
      const pkg = served.get(project);
      if (!pkg) throw new Error(`the ${suite} world serves no project ${project}`);
      return pkg;
    },
    startProxy: async (proxyOpts = {}) => {
      const proxy = await startProxy({
        DATA_DIR: await world.freshDir('proxy-data'),
        AUDIT_GATEWAY_ADDR: audit.gateway.address,
        REGISTRY_ADMIN_USER: ADMIN.user,
        REGISTRY_ADMIN_PASSWORD: ADMIN.password,
        ...(proxyOpts.upstream === false ? {} : { PYPI_UPSTREAM_URL: upstream.indexUrl, PYPI_UPSTREAM_FILES_URL: upstream.filesUrl }),
        ...proxyOpts.env,
      });
      proxies.push(proxy);
      return proxy;
    },
    adminToken: (proxy) => createToken(proxy.url, ADMIN.user, ADMIN.password),
    auditEvents: (until) => audit.events(until),
    close: async () => {
      await Promise.all(proxies.map((p) => p.stop()));
      await audit.gateway.stop();
      await upstream.stop();
      await temp.remove();
    },
  };
  if (opts.packages) await world.serveTree(opts.packages);
  return world;
}

/** Upstream requests made while `action` ran. */
export async function upstreamRequestsDuring(world: E2eWorld, action: () => Promise<unknown>): Promise<string[]> {
  const before = world.upstream.requests.length;
  await action();
  return world.upstream.requests.slice(before);
}
