import path from 'node:path';
import { makeTempDir, requireServicesEnv, uniqueSuffix } from '@registry/shared-testing';
import { startAuditedTopic, type AuditEvent } from '@registry/audit-testing';
import { startFixtureRegistry, type FixtureRegistry, type FixtureRegistryOptions } from '@registry/npm-testing';
import { ensureClients, installDeps, type ClientName, type ClientPaths, type RunResult } from './clients';
import { serveTree, TREE_DEPS, type PackageSpec } from './fixture-packages';
import { startProxy, type ProxyProcess } from './proxy-process';

export interface E2eWorldOptions {
  upstream?: FixtureRegistryOptions;
  /** What the upstream serves from the start (`TREE`: the install suites' tree); `serveTree` adds more. */
  packages?: PackageSpec[];
  /** Proxies audit through the real gateway into Kafka, on a topic of the suite's (`auditEvents` reads it). */
  audit?: boolean;
}

/** What one suite shares (pypi-proxy-e2e has the same): a temp dir, a fixture upstream, the proxies it started. */
export interface E2eWorld {
  dir: string;
  upstream: FixtureRegistry;
  /** A built proxy with a data dir of its own, wired to the upstream (and the gateway); `env` adds to that. */
  startProxy(env?: Record<string, string>): Promise<ProxyProcess>;
  /** Packs `specs` with the real `npm pack` and serves them from the upstream. */
  serveTree(specs: PackageSpec[]): Promise<void>;
  /** `client` (the pinned one) installs `deps` through `proxy` into a fresh project, `<dir>/<name>/project` (default deps: the tree's top). */
  install(client: ClientName, proxy: ProxyProcess, name: string, deps?: Record<string, string>): Promise<{ result: RunResult; project: string }>;
  /** Given `audit`: reads the suite's topic until `until` holds. */
  auditEvents(until: (events: AuditEvent[]) => boolean): Promise<AuditEvent[]>;
  /** Stops the proxies, the gateway and the upstream, and removes the temp dir. */
  close(): Promise<void>;
}

/** `base` is what every proxy's environment holds besides the wiring (PATH at least: specs pass the caller's). */
export async function createE2eWorld(suite: string, base: { PATH: string }, opts: E2eWorldOptions = {}): Promise<E2eWorld> {
  const temp = await makeTempDir(`npm-e2e-${suite}-`);
  const upstream = await startFixtureRegistry(opts.upstream);
  const audit = opts.audit
    ? await startAuditedTopic({ kafkaBrokers: requireServicesEnv().kafkaBrokers, topic: `npm-e2e-${suite}-${uniqueSuffix()}`, dataDir: path.join(temp.dir, 'gateway') })
    : undefined;
  const proxies: ProxyProcess[] = [];
  let clients: ClientPaths | undefined;
  const serve = (specs: PackageSpec[]) => serveTree(upstream, temp.dir, { PATH: base.PATH, HOME: temp.dir, npm_config_cache: path.join(temp.dir, 'pack-cache') }, specs);
  if (opts.packages) await serve(opts.packages);
  return {
    dir: temp.dir, upstream,
    startProxy: async (env = {}) => {
      const wiring = { DATA_DIR: path.join(temp.dir, `data-${proxies.length + 1}`), NPM_UPSTREAM_URL: upstream.url, ...(audit ? { AUDIT_GATEWAY_ADDR: audit.gateway.address } : {}) };
      const proxy = await startProxy({ ...base, ...wiring, ...env });
      proxies.push(proxy);
      return proxy;
    },
    serveTree: serve,
    install: (client, proxy, name, deps = TREE_DEPS) => installDeps(path.join(temp.dir, name), client, (clients ??= ensureClients()), proxy.url, deps, base.PATH),
    auditEvents: (until) => {
      if (!audit) throw new Error(`the ${suite} world was created without audit`);
      return audit.events(until);
    },
    close: async () => {
      await Promise.all(proxies.map((p) => p.stop()));
      await audit?.gateway.stop();
      await upstream.close();
      await temp.remove();
    },
  };
}
