import express from 'express';
import { Readable } from 'node:stream';
import { Registry } from 'prom-client';
import request from 'supertest';
import { AppError } from '@registry/shared-errors';
import { silentLogger } from '@registry/shared-logger';
import { abortOnClose } from './send-body';
import { parseRange } from './conditional-requests';
import { createHttpApp, finishHttpApp } from './create-http-app';
import { createHttpMetrics } from './metrics';
import { createRepresentation, sendRepresentation } from './representation';
import { countBodyBytes, responseSize, responseStatus, sendBody } from './send-body';
import { redactUrl } from './redact-url';
import { sendDownloadRedirect } from './send-download-redirect';

describe('parseRange', () => {
  it('resolves the three single-range forms against the size and ignores anything else', () => {
    expect(parseRange('bytes=10-19', 100)).toEqual({ start: 10, end: 19 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-5', 100)).toEqual({ start: 95, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange(undefined, 100)).toBeUndefined();
    expect(parseRange('bytes=1-2,5-6', 100)).toBeUndefined();
    expect(parseRange('items=1-2', 100)).toBeUndefined();
  });

  it('refuses a range past the end with 416 and the size', () => {
    expect(() => parseRange('bytes=100-', 100)).toThrow(expect.objectContaining({ code: 'range_not_satisfiable', headers: { 'content-range': 'bytes */100' } }));
    expect(() => parseRange('bytes=9-3', 100)).toThrow(expect.objectContaining({ code: 'range_not_satisfiable' }));
  });
});

function app() {
  const recorded: Array<{ status: number; size: number | null }> = [];
  const http = createHttpApp({ logger: silentLogger, metrics: createHttpMetrics('t', new Registry()) });
  http.use((_req, res, next) => {
    countBodyBytes(res);
    res.once('close', () => recorded.push({ status: responseStatus(res), size: responseSize(res) }));
    next();
  });
  const doc = createRepresentation(Buffer.from(JSON.stringify({ text: 'x'.repeat(2000) })), { contentType: 'application/json', label: 'full' });
  http.get('/doc', (req, res) => sendRepresentation(req, res, doc, { cacheControl: 'max-age=60' }));
  http.get('/stream', (req, res) => sendBody(req, res, Readable.from([Buffer.from('abc'), Buffer.from('def')]), abortOnClose(res)));
  http.get('/broken', (req, res) => {
    res.status(200).setHeader('content-length', '6');
    async function* broken() {
      yield Buffer.from('abc');
      throw new AppError('integrity_mismatch', 'digest mismatch');
    }
    return sendBody(req, res, Readable.from(broken()), abortOnClose(res));
  });
  return { http: finishHttpApp(http, silentLogger), recorded };
}

describe('sendRepresentation', () => {
  it('serves identity and gzip under their own ETags and answers either validator with 304', async () => {
    const { http } = app();
    const plain = await request(http).get('/doc').set('accept-encoding', 'identity').expect(200);
    const zipped = await request(http).get('/doc').set('accept-encoding', 'gzip').expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['etag']).not.toBe(plain.headers['etag']);
    expect(zipped.headers['vary']).toBe('Accept, Accept-Encoding');
    expect(zipped.body.text).toHaveLength(2000);
    for (const etag of [plain.headers['etag'], zipped.headers['etag'], `W/${plain.headers['etag']}`, '*']) {
      await request(http).get('/doc').set('if-none-match', etag as string).expect(304);
    }
    await request(http).get('/doc').set('if-none-match', '"other"').expect(200);
  });
});

describe('sendBody and the response outcome', () => {
  it('counts a stream of unknown length and reports the completed status', async () => {
    const { http, recorded } = app();
    expect((await request(http).get('/stream').expect(200)).text).toBe('abcdef');
    expect(recorded).toEqual([{ status: 200, size: 6 }]);
  });

  it('reports the failure status of a body that broke off after the headers', async () => {
    const { http, recorded } = app();
    await expect(request(http).get('/broken')).rejects.toThrow();
    await new Promise((resolve) => setImmediate(resolve));
    // Content-Length said 6; the client got 3.
    expect(recorded).toEqual([{ status: 502, size: 3 }]);
  });

  it('counts what was written, whoever wrote it: a JSON body, a gzip representation, nothing for a HEAD or a 304', async () => {
    const { http, recorded } = app();
    const plain = await request(http).get('/doc').set('accept-encoding', 'identity').expect(200);
    const zipped = await request(http).get('/doc').set('accept-encoding', 'gzip').expect(200);
    await request(http).head('/doc').expect(200);
    await request(http).get('/doc').set('if-none-match', plain.headers['etag'] as string).expect(304);
    await request(http).get('/nowhere').expect(404);
    expect(recorded.map((r) => r.size)).toEqual([
      Number(plain.headers['content-length']), Number(zipped.headers['content-length']), 0, 0, expect.any(Number),
    ]);
    expect(recorded[4]?.size).toBeGreaterThan(0);
    expect(Number(zipped.headers['content-length'])).toBeLessThan(Number(plain.headers['content-length']));
  });
});

describe('redactUrl', () => {
  it('replaces the signature and credential of a presigned object URL, keeping the rest readable', () => {
    const url = '/b/npm/a.tgz?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIA%2F20261202%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20261202T000000Z&X-Amz-Expires=300&X-Amz-Security-Token=tok&X-Amz-Signature=abc123&x-id=GetObject';
    const redacted = redactUrl(url);
    expect(redacted).not.toMatch(/AKIA|abc123|=tok/);
    expect(redacted).toContain('X-Amz-Signature=[redacted]');
    expect(redacted).toContain('X-Amz-Expires=300');
  });
});

describe('sendDownloadRedirect', () => {
  it('sends 302 with the exact Location, never cached, without the file headers set before', async () => {
    const location = 'http://objects.invalid/b/k.tgz?X-Amz-Signature=a%2Bb&X-Amz-Expires=60';
    const served = express().get('/f', (_req, res) => {
      res.set({ 'content-type': 'application/octet-stream', etag: '"x"', 'cache-control': 'public, max-age=31536000, immutable' });
      sendDownloadRedirect(res, location);
    });
    const res = await request(served).get('/f').redirects(0).expect(302);
    expect({ location: res.headers['location'], cache: res.headers['cache-control'], etag: res.headers['etag'], type: res.headers['content-type'] })
      .toEqual({ location, cache: 'no-store', etag: undefined, type: undefined });
  });
});
