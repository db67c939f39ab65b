import { Writable } from 'node:stream';
import request from 'supertest';
import { AppError } from '@registry/shared-errors';
import { createLogger, silentLogger } from '@registry/shared-logger';
import { createHttpApp, finishHttpApp } from './create-http-app';
import { createHttpMetrics } from './metrics';
import { HTTP_STATUS } from './http-status';
import { ERROR_CODES } from '@registry/shared-errors';

function makeApp(readyOk = true) {
  const metrics = createHttpMetrics('test');
  const app = createHttpApp({
    logger: silentLogger,
    metrics,
    readiness: [{ name: 'store', check: async () => { if (!readyOk) throw new Error('store down'); } }],
  });
  app.get('/boom', () => {
    throw new AppError('conflict', 'already there', { headers: { 'x-why': 'dup' } });
  });
  app.get('/held', () => {
    throw new AppError('forbidden', 'held', { reasonPhrase: 'Forbidden: x@1 was published at 2026-01-01T00:00:00Z\r\nX-Injected: 1 é' });
  });
  app.get('/bug', () => {
    throw new Error('secret internals');
  });
  app.get('/ok', (_req, res) => {
    res.send('ok');
  });
  return finishHttpApp(app, silentLogger);
}

describe('createHttpApp', () => {
  it('answers health, readiness and metrics', async () => {
    const app = makeApp();
    await request(app).get('/-/health').expect(200, { status: 'ok' });
    const ready = await request(app).get('/-/ready').expect(200);
    expect(ready.body.checks).toEqual([{ name: 'store', ok: true }]);
    await request(app).get('/ok').expect(200);
    const metrics = await request(app).get('/metrics').expect(200);
    expect(metrics.text).toContain('test_http_request_duration_seconds_count{method="GET",route="/ok",status="200"} 1');
    expect(metrics.text).toContain('test_process_resident_memory_bytes');
  });

  it('reports not ready with the failing dependency', async () => {
    const res = await request(makeApp(false)).get('/-/ready').expect(503);
    expect(res.body.checks[0]).toMatchObject({ name: 'store', ok: false, critical: true, error: 'store down' });
  });

  it('stays ready when only a non-critical dependency fails, and says so', async () => {
    const app = finishHttpApp(createHttpApp({
      logger: silentLogger,
      metrics: createHttpMetrics('t3'),
      readiness: [{ name: 'audit', critical: false, check: async () => { throw new Error('gateway away'); } }],
    }), silentLogger);
    const res = await request(app).get('/-/ready').expect(200);
    expect(res.body.checks[0]).toMatchObject({ name: 'audit', ok: false, critical: false, error: 'gateway away' });
  });

  it('maps AppError to its status with headers and a JSON body', async () => {
    const res = await request(makeApp()).get('/boom').expect(409);
    expect(res.body).toEqual({ error: 'already there', code: 'conflict' });
    expect(res.headers['x-why']).toBe('dup');
  });

  it('sends an error reason phrase as one line of printable ASCII', async () => {
    const res = await request(makeApp()).get('/held').expect(403);
    expect((res as unknown as { res: { statusMessage: string } }).res.statusMessage).toBe('Forbidden: x@1 was published at 2026-01-01T00:00:00Z??X-Injected: 1 ?');
    expect(res.headers['x-injected']).toBeUndefined();
  });

  it('hides unknown errors behind a generic 500', async () => {
    const res = await request(makeApp()).get('/bug').expect(500);
    expect(res.body).toEqual({ error: 'internal server error', code: 'internal' });
  });

  it('answers 404 for unknown routes and keeps HEAD bodies empty', async () => {
    await request(makeApp()).get('/nowhere').expect(404);
    const head = await request(makeApp()).head('/boom').expect(409);
    expect(head.text).toBeUndefined();
  });

  it('echoes a safe request id and generates one otherwise', async () => {
    const given = await request(makeApp()).get('/ok').set('x-request-id', 'abc-123');
    expect(given.headers['x-request-id']).toBe('abc-123');
    const unsafe = await request(makeApp()).get('/ok').set('x-request-id', 'bad id\twith spaces');
    expect(unsafe.headers['x-request-id']).toMatch(/^[0-9a-f]{12}-[0-9a-z]+$/);
    const app = makeApp();
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add(String((await request(app).get('/ok')).headers['x-request-id']));
    expect(ids.size).toBe(3);
  });

  it('counts every request in its route, status and byte metrics', async () => {
    const app = makeApp();
    await request(app).get('/ok').expect(200);
    await request(app).get('/ok').expect(200);
    await request(app).get('/boom').expect(409);
    const metrics = (await request(app).get('/metrics').expect(200)).text;
    expect(metrics).toContain('test_http_request_duration_seconds_count{method="GET",route="/ok",status="200"} 2');
    expect(metrics).toContain('test_http_request_duration_seconds_count{method="GET",route="/boom",status="409"} 1');
    expect(metrics).toContain('test_http_response_bytes_total{route="/ok"} 4');
  });

  it('keeps credentials out of the access log', async () => {
    const lines: string[] = [];
    const destination = new Writable({ write(c, _e, d) { lines.push(String(c)); d(); } });
    const logger = createLogger({ name: 't', level: 'info', destination });
    const app = finishHttpApp(createHttpApp({ logger, metrics: createHttpMetrics('t2') }), logger);
    await request(app).get('/x').set('authorization', 'Bearer top-secret-token').set('cookie', 'a=top-secret');
    await request(app).delete('/-/user/token/top-secret-npm-token');
    await request(app).get('/y?token=top-secret-q&x=1');
    expect(lines.join('')).not.toContain('top-secret');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('maps every error code to an HTTP error status', () => {
    for (const code of ERROR_CODES) expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
  });
});
