// Test-only: the upstream-client specs' loopback origin and client, so each spec states only its handler.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { silentLogger } from '@registry/shared-logger';
import { createUpstreamClient, type UpstreamClient, type UpstreamClientOptions } from '../upstream-client';

export interface LocalServer {
  origin: string;
  requests: http.IncomingMessage[];
  close(): Promise<void>;
}

export async function startServer(handler: http.RequestListener): Promise<LocalServer> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** A client for loopback origins with short timeouts; `extra` is what a spec is about. */
export function testClient(allowedOrigins: string[], extra: Partial<UpstreamClientOptions> = {}): UpstreamClient {
  return createUpstreamClient({
    allowedOrigins, userAgent: 'registry-test/1', connectTimeoutMs: 2_000, headersTimeoutMs: 2_000,
    bodyTimeoutMs: 2_000, maxSockets: 4, logger: silentLogger, ...extra,
  });
}
