import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { createLogger } from '@registry/shared-logger';
import { waitFor } from '@registry/shared-testing';
import { abortOnClose } from './send-body';
import { createHttpApp, finishHttpApp } from './create-http-app';
import { createHttpMetrics } from './metrics';

interface LogLine { level: number; msg: string; aborted?: boolean; req?: { id?: string; method?: string; url?: string }; res?: { statusCode?: number } }

function appLoggingAt(level: 'info' | 'warn' | 'debug') {
  const lines: LogLine[] = [];
  const destination = new Writable({ write(c, _e, done) { lines.push(JSON.parse(String(c)) as LogLine); done(); } });
  const logger = createLogger({ name: 't', level, destination });
  const app = createHttpApp({ logger, metrics: createHttpMetrics(`log_${level}`) });
  app.get('/ok', (_req, res) => { res.send('ok'); });
  app.get('/bug', () => { throw new Error('bug'); });
  // Sends a first chunk, then never ends: the client hangs up mid-download.
  app.get('/slow', async (_req, res, next) => {
    const signal = abortOnClose(res);
    res.setHeader('content-type', 'application/octet-stream');
    const endless = new Readable({ read() { /* one chunk pushed below, then nothing */ } });
    endless.push(Buffer.alloc(1024));
    await pipeline(endless, res, { signal }).catch(next);
  });
  return { app: finishHttpApp(app, logger), lines };
}

describe('createHttpApp logging', () => {
  it('writes one access line per request at info, with the request id', async () => {
    const { app, lines } = appLoggingAt('info');
    const res = await request(app).get('/ok').expect(200);
    const access = lines.filter((l) => l.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(access[0]).toMatchObject({ level: 30, req: { id: res.headers['x-request-id'], method: 'GET', url: '/ok' }, res: { statusCode: 200 } });
    await request(app).get('/-/health').expect(200);
    expect(lines.filter((l) => l.msg === 'request completed')).toHaveLength(1);
  });

  it.each([
    '/-/npm/v1/tokens/token/npm_SECRET123',
    '/-/user/token/SECRET123',
    '/simple/x/?api_key=SECRET123',
    '/x?auth=SECRET123&a=1',
    '/x?token=SECRET123',
  ])('never writes the credential in %s to the access log', async (url) => {
    const { app, lines } = appLoggingAt('info');
    await request(app).delete(url);
    const access = lines.filter((l) => l.msg === 'request completed');
    expect(access).toHaveLength(1);
    expect(JSON.stringify(lines)).not.toContain('SECRET123');
    expect(access[0]?.req?.url).toContain('[redacted]');
  });

  it('logs a 5xx access line at error', async () => {
    const { app, lines } = appLoggingAt('info');
    await request(app).get('/bug').expect(500);
    expect(lines.find((l) => l.msg === 'request errored')).toMatchObject({ level: 50, res: { statusCode: 500 } });
  });

  it('skips the access log above info but still sets X-Request-Id', async () => {
    const { app, lines } = appLoggingAt('warn');
    const res = await request(app).get('/ok').expect(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    expect(lines).toEqual([]);
  });

  it('logs a client that hangs up mid-download at debug, not as a 500 error', async () => {
    const { app, lines } = appLoggingAt('debug');
    const server = http.createServer(app).listen(0, '127.0.0.1');
    try {
      await new Promise((resolve) => server.once('listening', resolve));
      const { port } = server.address() as AddressInfo;
      await new Promise<void>((resolve, reject) => {
        const req = http.get({ host: '127.0.0.1', port, path: '/slow' }, (res) => {
          res.once('data', () => { req.destroy(); resolve(); });
        });
        req.once('error', (err) => { if (!req.destroyed) reject(err); });
      });
      await waitFor(() => (lines.some((l) => l.msg.startsWith('client closed the connection')) ? true : undefined), { timeoutMs: 5_000, intervalMs: 1, what: 'the debug line' });
      await waitFor(() => (lines.some((l) => l.msg === 'request aborted by the client') ? true : undefined), { timeoutMs: 5_000, intervalMs: 1, what: 'the access line' });
      expect(lines.find((l) => l.msg === 'request aborted by the client')).toMatchObject({ level: 30, aborted: true });
      const gone = lines.find((l) => l.msg.startsWith('client closed the connection'));
      expect(gone?.level).toBe(20);
      expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
