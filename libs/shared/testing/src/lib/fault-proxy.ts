import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { holdUnansweredPort, type UnansweredPort } from './unanswered-port';

/** What the upstream does wrong, from the next request (or, for `hang-on-connect`, the next connection) on. */
export type Fault =
  | { kind: 'none' }
  /** Takes the TCP connection and never reads or answers a byte: the request never gets anywhere. */
  | { kind: 'hang-on-connect' }
  /** The port stops answering at the TCP level (SYNs dropped): a connect never completes, as with a vanished host. */
  | { kind: 'unanswered-connect' }
  /** Sends the upstream's status line and headers, then nothing (the body never comes). */
  | { kind: 'hang-after-headers' }
  /** Sends the body a few bytes at a time (`bytes` every `everyMs`). */
  | { kind: 'trickle'; bytes?: number; everyMs?: number }
  /** Sends the headers and half the body, then resets the connection (TCP RST). */
  | { kind: 'reset-mid-body' }
  /** Answers `status` (5xx, 429) with `Retry-After`, without asking the upstream. */
  | { kind: 'status'; status: number; retryAfterSeconds?: number };

/**
 * The faults that break a request, so they trip an upstream's breaker, by name: the table the e2e suites run a
 * warm install under (a revalidation answered 304 has no body to break, so for the body faults a suite changes
 * its documents upstream first).
 */
export const BREAKING_FAULTS: ReadonlyArray<[string, Fault]> = [
  ['hangs on connect', { kind: 'hang-on-connect' }],
  ['never answers the connect', { kind: 'unanswered-connect' }],
  ['hangs after the headers', { kind: 'hang-after-headers' }],
  ['resets mid-body', { kind: 'reset-mid-body' }],
  ['answers 503 with Retry-After', { kind: 'status', status: 503, retryAfterSeconds: 30 }],
  ['answers 429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 30 }],
];

export interface FaultProxy {
  /** Where the proxy listens now (changes on `move`). */
  readonly url: string;
  /** `METHOD path` of every request that reached the proxy, faulty or not. */
  readonly requests: string[];
  /** TCP connections accepted so far (a `hang-on-connect` request is one of these and no request; an `unanswered-connect` one is not). */
  readonly connections: number;
  /** Sets the fault and drops kept-alive connections, so the next request meets it (resolved once it is in place). */
  setFault(fault: Fault): Promise<void>;
  /** The upstream moves: the old port is closed (connection refused) and the proxy listens on a new one. */
  move(): Promise<string>;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection']);

/**
 * A loopback HTTP proxy in front of a fixture upstream that misbehaves on demand: the proxies under
 * test are configured with its URL, so every upstream request passes through it. Faults are injected at the
 * socket (hang, reset) or HTTP level (headers only, trickle, 5xx/429 with Retry-After); timers here pace the
 * faults, they never synchronize a test.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let fault: Fault = { kind: 'none' };
  let connections = 0;
  const requests: string[] = [];

  const httpServer = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (fault.kind === 'status') {
      res.writeHead(fault.status, { 'retry-after': String(fault.retryAfterSeconds ?? 1), 'content-type': 'text/plain' }).end(`fault: ${fault.status}\n`);
      return;
    }
    const current = fault;
    const headers = { ...req.headers, host: target.host };
    const upstream = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers }, (up) => {
      const outHeaders = Object.fromEntries(Object.entries(up.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
      res.writeHead(up.statusCode ?? 502, outHeaders);
      if (current.kind === 'none') return void up.pipe(res);
      res.flushHeaders();
      if (current.kind === 'hang-after-headers') return void up.resume();
      void collect(up).then((body) => {
        if (current.kind === 'reset-mid-body') {
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.resetAndDestroy());
          return;
        }
        trickle(res, body, current.kind === 'trickle' ? current : {});
      });
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });

  function trickle(res: http.ServerResponse, body: Buffer, opts: { bytes?: number; everyMs?: number }): void {
    let offset = 0;
    const step = opts.bytes ?? 64;
    const timer = setInterval(() => {
      if (res.destroyed || offset >= body.length) {
        clearInterval(timer);
        timers.delete(timer);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(body.subarray(offset, offset + step));
      offset += step;
    }, opts.everyMs ?? 5);
    timers.add(timer);
  }

  const onConnection = (socket: net.Socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (fault.kind === 'hang-on-connect') return void socket.pause();
    httpServer.emit('connection', socket);
  };

  let server = await listen(onConnection, 0);
  let port = (server.address() as AddressInfo).port;
  let held: UnansweredPort | undefined; // while `unanswered-connect`: the port is the holder's, not the server's
  const dropConnections = () => {
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };
  const stop = async (s: net.Server) => {
    dropConnections();
    s.close();
    await once(s, 'close');
  };

  const url = () => `http://127.0.0.1:${port}`;
  return {
    get url() {
      return url();
    },
    requests,
    get connections() {
      return connections;
    },
    async setFault(next) {
      fault = next;
      dropConnections();
      if (next.kind === 'unanswered-connect' && held === undefined) {
        await stop(server);
        held = await holdUnansweredPort(port);
      } else if (next.kind !== 'unanswered-connect' && held !== undefined) {
        await held.release();
        held = undefined;
        server = await listen(onConnection, port);
      }
    },
    async move() {
      if (held !== undefined) throw new Error('move() while the port is unanswered: set another fault first');
      const old = server;
      server = await listen(onConnection, 0);
      port = (server.address() as AddressInfo).port;
      await stop(old);
      return url();
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      if (held !== undefined) await held.release();
      else await stop(server);
    },
  };
}

async function listen(onConnection: (socket: net.Socket) => void, port: number): Promise<net.Server> {
  const server = net.createServer(onConnection).listen(port, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
