import path from 'node:path';
import { makeTempDir } from '@registry/shared-testing';
import { startFixtureRegistry, type FixtureRegistry, type FixtureRegistryOptions } from '@registry/npm-testing';
import { startProxy, type ProxyProcess } from './proxy-process';

/** What one suite shares (pypi-proxy-e2e has the same): a temp dir, a fixture upstream, the proxies it started. */
export interface E2eWorld {
  dir: string;
  upstream: FixtureRegistry;
  /** A built proxy with a data dir of its own, wired to the upstream; `env` adds to that. */
  startProxy(env?: Record<string, string>): Promise<ProxyProcess>;
  /** Stops the proxies and the upstream, and removes the temp dir. */
  close(): Promise<void>;
}

/** `base` is what every proxy's environment holds besides the wiring (PATH at least: specs pass the caller's). */
export async function createE2eWorld(suite: string, base: { PATH: string }, upstreamOptions: FixtureRegistryOptions = {}): Promise<E2eWorld> {
  const temp = await makeTempDir(`npm-e2e-${suite}-`);
  const upstream = await startFixtureRegistry(upstreamOptions);
  const proxies: ProxyProcess[] = [];
  return {
    dir: temp.dir, upstream,
    startProxy: async (env = {}) => {
      const proxy = await startProxy({ ...base, DATA_DIR: path.join(temp.dir, `data-${proxies.length + 1}`), NPM_UPSTREAM_URL: upstream.url, ...env });
      proxies.push(proxy);
      return proxy;
    },
    close: async () => {
      await Promise.all(proxies.map((p) => p.stop()));
      await upstream.close();
      await temp.remove();
    },
  };
}
