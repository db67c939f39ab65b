import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';
import type { Logger } from '@registry/shared-logger';
import { DEFAULT_SERVER_TIMEOUTS, createBoundedServer, type ServerTimeouts } from './server-timeouts';

export interface RunningHttpServer {
  server: Server;
  /** Base URL, e.g. http://127.0.0.1:8081 */
  url: string;
  port: number;
  /** Stops accepting connections and waits for in-flight requests, up to `graceMs`, then drops the rest. */
  close(graceMs?: number): Promise<void>;
}

/** Listens on host:port (0 picks a free port) and resolves once bound; every phase of a request is bounded. */
export async function startHttpServer(
  handler: RequestListener,
  opts: { host: string; port: number; logger: Logger; name: string; timeouts?: ServerTimeouts },
): Promise<RunningHttpServer> {
  const server = createBoundedServer(handler, opts.timeouts ?? DEFAULT_SERVER_TIMEOUTS);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  opts.logger.info({ url }, `${opts.name} listening`);
  return {
    server,
    url,
    port,
    close: (graceMs = 10_000) => drain(server, graceMs),
  };
}

function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    timer.unref();
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}
