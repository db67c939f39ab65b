import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Registry } from 'prom-client';
import express from 'express';
import request from 'supertest';
import { createAuditEvent, type AuditEvent, type AuditEventInput } from '@registry/audit-event';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { waitFor } from '@registry/shared-testing';
import { abortOnClose, createHttpApp, createHttpMetrics, finishHttpApp, parseRange, sendBody, type HttpMetrics } from '@registry/shared-http-server';
import { cacheRequestCounts } from '../testing';
import { auditedRoute, auditTrail, declareAudit, declareServedFrom, declareUser, type AuditRecorder } from './audit-trail';

/** Keeps every event, complete (the audit client's contract: record never blocks or throws). */
class RecordingAuditClient implements AuditRecorder {
  readonly events: AuditEvent[] = [];
  record(event: AuditEventInput): void {
    this.events.push(createAuditEvent(event));
  }
}

const FILE = Buffer.from('0123456789'.repeat(100));

function app(audit: RecordingAuditClient, release?: Promise<void>, metrics: HttpMetrics = createHttpMetrics('audit_http_test', new Registry())) {
  const http = createHttpApp({ logger: silentLogger, metrics });
  http.use(auditTrail(audit, { metrics }));
  http.get('/pkg/:name', auditedRoute((req) => ({ event_type: 'npm.package.metadata', package: req.params['name'] as string }), (_req, res) => {
    declareAudit(res, { source: 'upstream', extra: { user: 'alice' } });
    declareAudit(res, { extra: { operation: 'version' } });
    res.json({ ok: true });
  }));
  http.put('/pkg/:name', auditedRoute((req) => ({ event_type: 'npm.package.publish', package: req.params['name'] as string }), () => {
    throw new AppError('unauthenticated', 'this operation needs a token');
  }));
  http.get('/slow', auditedRoute(() => ({ event_type: 'npm.package.download', package: 'slow' }), async (req, res) => {
    res.status(200).setHeader('content-length', '1000000');
    const chunks = async function* () {
      yield Buffer.alloc(1000);
      await release;
    };
    await sendBody(req, res, Readable.from(chunks()), abortOnClose(res));
  }));
  http.get('/plain', (_req, res) => { res.send('no event'); });
  // A blob route as the registries write them: where it came from, HEAD and single ranges.
  http.get('/files/:name', auditedRoute((req) => ({ event_type: 'pypi.package.download', package: req.params['name'] as string }), async (req, res) => {
    const name = req.params['name'] as string;
    declareServedFrom(res, { source: name === 'fresh' ? 'upstream' : 'cache', origin: name === 'mine' ? 'private' : 'upstream', stale: name === 'stale' });
    if (name === 'missing') { res.status(404).json({ error: 'no such file' }); return; }
    if (name === 'mine') declareUser(res, 'alice');
    const range = parseRange(req.get('range'), FILE.length);
    if (range) res.status(206).setHeader('content-range', `bytes ${range.start}-${range.end}/${FILE.length}`);
    res.setHeader('content-length', range ? range.end - range.start + 1 : FILE.length);
    await sendBody(req, res, range ? FILE.subarray(range.start, range.end + 1) : FILE, abortOnClose(res));
  }));
  return finishHttpApp(http, silentLogger);
}

describe('auditTrail', () => {
  it('records one event per request with the declared facts, the status, the size and the caller', async () => {
    const audit = new RecordingAuditClient();
    await request(app(audit)).get('/pkg/left-pad').set('user-agent', 'npm/10').set('x-request-id', 'req-1').expect(200);
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({
      event_type: 'npm.package.metadata', package: 'left-pad', source: 'upstream', status_code: 200, size: 11,
      user_agent: 'npm/10', remote_addr: expect.any(String), extra: { user: 'alice', operation: 'version', request_id: 'req-1' },
    });
  });

  it('records a refusal thrown by the route with its status, and nothing for requests that declared nothing', async () => {
    const audit = new RecordingAuditClient();
    const http = app(audit);
    await request(http).put('/pkg/left-pad').expect(401);
    await request(http).get('/plain').expect(200);
    await request(http).get('/nowhere').expect(404);
    expect(audit.events.map((e) => [e.event_type, e.package, e.status_code])).toEqual([['npm.package.publish', 'left-pad', 401]]);
  });

  it('records 499 when the client leaves before the response is complete', async () => {
    const audit = new RecordingAuditClient();
    let release!: () => void;
    const server = app(audit, new Promise<void>((resolve) => { release = resolve; })).listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const controller = new AbortController();
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/slow`, { signal: controller.signal });
      expect(res.status).toBe(200);
      controller.abort();
      await waitFor(() => (audit.events.length > 0 ? true : undefined), { timeoutMs: 5000, intervalMs: 5, what: 'the audit event' });
      // The client left after the first 1,000 of 1,000,000 announced bytes: those are what it was sent.
      expect(audit.events).toEqual([expect.objectContaining({ event_type: 'npm.package.download', status_code: 499, size: 1000 })]);
    } finally {
      release();
      server.closeAllConnections();
      server.close();
    }
  });

  it('records a HEAD as the same operation with no bytes and extra.method, a range with the bytes sent and extra.range', async () => {
    const audit = new RecordingAuditClient();
    const http = app(audit);
    await request(http).get('/files/pkg').expect(200);
    await request(http).head('/files/pkg').expect(200);
    await request(http).get('/files/pkg').set('range', 'bytes=-64').expect(206);
    await request(http).get('/files/pkg').set('range', 'bytes=0-9,20-29').expect(200); // not a single range: the whole file
    expect(audit.events.map((e) => [e.event_type, e.status_code, e.size, e.extra['method'] ?? null, e.extra['range'] ?? null])).toEqual([
      ['pypi.package.download', 200, 1000, null, null],
      ['pypi.package.download', 200, 0, 'HEAD', null],
      ['pypi.package.download', 206, 64, null, 'bytes=-64'],
      ['pypi.package.download', 200, 1000, null, null],
    ]);
  });

  it('marks private answers and stale ones, and names the user declared', async () => {
    const audit = new RecordingAuditClient();
    const http = app(audit);
    for (const name of ['mine', 'stale', 'fresh']) await request(http).get(`/files/${name}`).expect(200);
    expect(audit.events.map((e) => ({ package: e.package, source: e.source, origin: e.extra['origin'], stale: e.extra['stale'], user: e.extra['user'] }))).toEqual([
      { package: 'mine', source: 'cache', origin: 'private', stale: undefined, user: 'alice' },
      { package: 'stale', source: 'cache', origin: undefined, stale: 'true', user: undefined },
      { package: 'fresh', source: 'upstream', origin: undefined, stale: undefined, user: undefined },
    ]);
  });

  it('counts the cache answers of its events: hit, miss, stale; never private, failed or cache-less requests', async () => {
    const metrics = createHttpMetrics('audit_http_cache', new Registry());
    const http = app(new RecordingAuditClient(), undefined, metrics);
    expect(await cacheRequestCounts(metrics)).toEqual({ hit: 0, miss: 0, stale: 0 });
    for (const name of ['pkg', 'pkg', 'fresh', 'stale', 'mine', 'missing']) await request(http).get(`/files/${name}`);
    await request(http).head('/files/pkg').expect(200);
    await request(http).put('/pkg/left-pad').expect(401);
    expect(await cacheRequestCounts(metrics)).toEqual({ hit: 3, miss: 1, stale: 1 });
  });

  it('adds one listener per response, the same shared function every time, and does not copy a declared extra', async () => {
    const seen: { added: number; listener: unknown; extra: unknown }[] = [];
    const declared = { user: 'alice' };
    const audit = new RecordingAuditClient();
    const inputs: AuditEventInput[] = [];
    const http = express();
    let before = 0;
    http.use((_req, res, next) => {
      before = res.listenerCount('close') + res.listenerCount('finish');
      next();
    });
    http.use(auditTrail({ record: (e) => { inputs.push(e); audit.record(e); } }));
    http.get('/x', (_req, res) => {
      declareAudit(res, { event_type: 'npm.search', extra: declared });
      seen.push({ added: res.listenerCount('close') + res.listenerCount('finish') - before, listener: res.listeners('close').at(-1), extra: declared });
      res.end('ok');
    });
    await request(http).get('/x').expect(200);
    await request(http).get('/x').expect(200);
    expect(seen.map((s) => s.added)).toEqual([1, 1]);
    expect(seen[0]?.listener).toBe(seen[1]?.listener);
    expect(inputs.map((e) => e.extra)).toEqual([declared, declared]);
    expect(inputs[0]?.extra).toBe(declared); // the event carries the route's own object; the client copies it once
    expect(audit.events).toHaveLength(2);
  });
});
