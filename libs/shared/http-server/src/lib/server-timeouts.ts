import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { bornWithAppPrototypes } from './born-with-app-prototypes';

/** Every phase of a request is bounded (HttpServerEnv in shared-config documents each). */
export interface ServerTimeouts {
  /** Headers must arrive within this (Node answers 408). */
  headersMs: number;
  /** The whole request, headers and body, must arrive within this (Node answers 408). */
  requestMs: number;
  /** Longest silence on a socket with a request in flight: a stalled body is answered 408, a stalled reader cut off. */
  idleMs: number;
  /** Idle keep-alive connections are closed after this. */
  keepAliveMs: number;
}

export const DEFAULT_SERVER_TIMEOUTS: ServerTimeouts = { headersMs: 20_000, requestMs: 600_000, idleMs: 60_000, keepAliveMs: 65_000 };

/** Requests served on one keep-alive connection before it is closed (bounded keep-alive). */
const MAX_REQUESTS_PER_SOCKET = 1000;
const inFlight = new WeakMap<Socket, ServerResponse>();
/** Sockets between two keep-alive requests: silence there is closed without an answer. */
const betweenRequests = new WeakSet<Socket>();
const HEADERS_TIMED_OUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

/**
 * Applies the bounds to a server. Node enforces the header and whole-request deadlines itself (408 and close);
 * the idle bound is ours: a body that stops arriving gets a 408 (when nothing was answered yet) and the socket is
 * closed, which also ends any `drainRequest` waiting on it. A request whose body has fully arrived is never cut
 * off for silence while the server works on it (an upstream may be slow; it has its own timeouts).
 */
export function createBoundedServer(handler: RequestListener, t: ServerTimeouts): Server {
  // Node checks the header and request deadlines on this interval (30 s by default, far too coarse for a 20 s bound).
  const server = createServer({
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(t.headersMs / 4))), ...bornWithAppPrototypes(handler),
  }, handler);
  server.headersTimeout = t.headersMs;
  server.requestTimeout = Math.max(t.requestMs, t.headersMs);
  server.keepAliveTimeout = t.keepAliveMs;
  server.maxRequestsPerSocket = MAX_REQUESTS_PER_SOCKET;
  server.timeout = t.idleMs;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    inFlight.set(req.socket, res);
    betweenRequests.delete(req.socket);
    res.once('finish', () => {
      inFlight.delete(req.socket);
      betweenRequests.add(req.socket);
    });
  });
  server.on('timeout', (socket: Socket) => onIdle(socket));
  return server;
}

function onIdle(socket: Socket): void {
  const res = inFlight.get(socket);
  if (res === undefined) {
    // Headers that never finished (a slowloris) get the 408 Node itself sends at the headers deadline.
    if (betweenRequests.has(socket) || !socket.writable) socket.destroy();
    else {
      socket.end(HEADERS_TIMED_OUT);
      setTimeout(() => socket.destroy(), 1000).unref();
    }
    return;
  }
  const req = res.req;
  if (!req.complete) {
    if (!res.headersSent) {
      res.writeHead(408, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error: 'request body timed out', code: 'request_timeout' }));
    }
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1000).unref();
    return;
  }
  // The request is in; a response stuck behind a client that stopped reading is cut off, a server still working is not.
  if (res.headersSent && socket.writableLength > 0) socket.destroy();
}
