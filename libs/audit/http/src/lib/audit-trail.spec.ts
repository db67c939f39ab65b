import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { Registry } from 'prom-client';
import request from 'supertest';
import { createAuditEvent, type AuditEvent, type AuditEventInput } from '@registry/audit-event';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { waitFor } from '@registry/shared-testing';
import { abortOnClose, createHttpApp, createHttpMetrics, finishHttpApp, sendBody } from '@registry/shared-http-server';
import { auditedRoute, auditTrail, declareAudit, type AuditRecorder } from './audit-trail';

/** Keeps every event, complete (the audit client's contract: record never blocks or throws). */
class RecordingAuditClient implements AuditRecorder {
  readonly events: AuditEvent[] = [];
  record(event: AuditEventInput): void {
    this.events.push(createAuditEvent(event));
  }
}

function app(audit: RecordingAuditClient, release?: Promise<void>) {
  const http = createHttpApp({ logger: silentLogger, metrics: createHttpMetrics('audit_http_test', new Registry()) });
  http.use(auditTrail(audit));
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
      expect(audit.events).toEqual([expect.objectContaining({ event_type: 'npm.package.download', status_code: 499 })]);
    } finally {
      release();
      server.closeAllConnections();
      server.close();
    }
  });
});
