import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import pino from 'pino';
import { silentLogger } from '@registry/shared-logger';
import { startHttpServer, type RunningHttpServer } from './start-http-server';
import { guardProcess } from './process-guard';

const TIMEOUTS = { headersMs: 400, requestMs: 1500, idleMs: 300, keepAliveMs: 300 };

/** Sends `head` on a raw socket and resolves with everything the server wrote until it closed the connection. */
function rawExchange(server: RunningHttpServer, head: string): { socket: Socket; answer: Promise<string> } {
  const socket = connect(server.port, '127.0.0.1');
  socket.write(head);
  const answer = new Promise<string>((resolve) => {
    let text = '';
    socket.on('data', (c) => (text += c.toString()));
    socket.on('close', () => resolve(text));
    socket.on('error', () => undefined);
  });
  return { socket, answer };
}

describe('startHttpServer bounds every phase of a request', () => {
  let server: RunningHttpServer;
  beforeEach(async () => {
    server = await startHttpServer((req, res) => {
      // Reads the whole body before answering, as a body parser would.
      req.resume();
      req.on('end', () => res.end('ok'));
    }, { host: '127.0.0.1', port: 0, logger: silentLogger, name: 'test', timeouts: TIMEOUTS });
  });
  afterEach(() => server.close(100));

  it('answers 408 and closes when the headers never finish', async () => {
    const { answer } = rawExchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('answers 408 and closes when a body stops arriving', async () => {
    const { answer } = rawExchange(server, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial');
    expect(await answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('cuts a body that trickles in past the whole-request deadline', async () => {
    const { socket, answer } = rawExchange(server, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n');
    const drip = setInterval(() => socket.writable && socket.write('x'), 100);
    try {
      expect(await answer).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
    }
  });

  it('closes an idle keep-alive connection', async () => {
    const { answer } = rawExchange(server, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await answer).toMatch(/^HTTP\/1\.1 200[\s\S]*ok$/);
  });
});

describe('guardProcess', () => {
  it('logs an escaped error at fatal level instead of letting it end the process', () => {
    const lines: Array<{ level: number; msg: string }> = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const proc = new EventEmitter();
    guardProcess(logger, proc as unknown as NodeJS.Process);
    guardProcess(logger, proc as unknown as NodeJS.Process);
    proc.emit('uncaughtException', new TypeError('boom'));
    proc.emit('unhandledRejection', new Error('lost'));
    expect(proc.listenerCount('uncaughtException')).toBe(1);
    expect(lines.map((l) => [l.level, l.msg.split(' (')[0]])).toEqual([[60, 'uncaught exception'], [60, 'unhandled promise rejection']]);
  });
});
