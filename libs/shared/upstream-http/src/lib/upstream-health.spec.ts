import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Registry } from 'prom-client';
import { silentLogger } from '@registry/shared-logger';
import { createUpstreamClient, type UpstreamClient } from './upstream-client';
import { discardBody, readText } from './read-body';

let server: http.Server;
let origin: string;
let paths: string[];
let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
let client: UpstreamClient;
let registry: Registry;

beforeEach(async () => {
  paths = [];
  server = http.createServer((req, res) => { paths.push(req.url ?? ''); handler(req, res); }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  registry = new Registry();
  client = createUpstreamClient({
    allowedOrigins: [origin], userAgent: 't', connectTimeoutMs: 2_000, headersTimeoutMs: 30_000, bodyTimeoutMs: 30_000, maxSockets: 4, logger: silentLogger,
    health: { name: 'test', probeUrl: `${origin}/probe`, unhealthyDeadlineMs: 50, minBackoffMs: 5, maxBackoffMs: 20, metrics: { registry, prefix: 't' } },
  });
});

afterEach(async () => {
  await client.close();
  server.closeAllConnections();
  server.close();
});

const metric = async (name: string) => (await registry.getSingleMetric(name)?.get())?.values[0]?.value;

describe('upstream health (circuit breaker)', () => {
  it('trips on a 503, probes in the background, and recovers when the upstream answers; metrics follow', async () => {
    handler = (_req, res) => { res.statusCode = 503; res.end('down'); };
    const tripped = once(client.health, 'transition');
    await discardBody(await client.request(`${origin}/doc`));
    expect(await tripped).toEqual(['unhealthy']);
    expect(client.health.allowsRequest()).toBe(false);
    expect([await metric('t_upstream_up'), await metric('t_upstream_trips_total')]).toEqual([0, 1]);
    const recovered = once(client.health, 'transition');
    handler = (_req, res) => res.end('ok');
    expect(await recovered).toEqual(['healthy']);
    expect(paths).toContain('/probe');
    expect([await metric('t_upstream_up'), await metric('t_upstream_recoveries_total')]).toEqual([1, 1]);
  });

  it('while unhealthy, a request whose headers do not come within the short deadline fails as a timeout', async () => {
    handler = () => undefined; // never answers
    client.health.failed(new Error('seen failing'));
    await expect(client.request(`${origin}/hangs`)).rejects.toMatchObject({ code: 'upstream_timeout', message: expect.stringMatching(/unhealthy/) });
  });

  it('while unhealthy, a request that gets its headers in time streams its whole body and heals the state', async () => {
    handler = (_req, res) => { res.write('a'); setImmediate(() => res.end('b')); };
    client.health.failed(new Error('seen failing'));
    const res = await client.request(`${origin}/file`);
    expect(client.health.allowsRequest()).toBe(true);
    expect(await readText(res, 100)).toBe('ab');
  });

  it('a connection failure trips it', async () => {
    handler = (req) => req.socket.destroy();
    await expect(client.request(`${origin}/reset`)).rejects.toMatchObject({ code: 'upstream_unavailable' });
    expect(client.health.state).toBe('unhealthy');
  });
});
