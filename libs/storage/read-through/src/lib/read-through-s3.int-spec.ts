import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@registry/shared-logger';
import { requireServicesEnv } from '@registry/shared-testing';
import { createS3BlobStore } from '@registry/storage-blob-store-s3';
import { createReadThrough } from './read-through';
import { drain, opened, payload, sha256 } from './testing/read-through-support';

/** A local upstream on 127.0.0.1 that sends half of the body, then the rest once the test says so. */
async function startUpstream(data: Uint8Array): Promise<{ url: string; requests: () => number; release(): void; close(): Promise<void> }> {
  let requests = 0;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const server = http.createServer((req, res) => {
    requests += 1;
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
    res.write(data.subarray(0, data.length / 2));
    void gate.then(() => res.end(data.subarray(data.length / 2)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/file.tgz`, requests: () => requests, release: () => open(), close: () => new Promise((r) => server.close(() => r())) };
}

const get = (url: string, signal: AbortSignal): Promise<IncomingMessage> => new Promise((resolve, reject) => {
  http.get(url, { signal }, resolve).on('error', reject);
});

describe('read-through on the real S3 server', () => {
  it('serves 50 concurrent misses from one upstream request and caches the verified body in S3', async () => {
    const store = createS3BlobStore({ ...requireServicesEnv().s3, prefix: `read-through-${randomUUID()}`, logger: silentLogger });
    const data = payload(3_000_000);
    const upstream = await startUpstream(data);
    try {
      const cache = createReadThrough({ store, logger: silentLogger });
      const fetchUpstream = async (signal: AbortSignal) => {
        const res = await get(upstream.url, signal);
        return { body: res, size: Number(res.headers['content-length']), contentType: res.headers['content-type'] ?? 'application/octet-stream' };
      };
      const hex = sha256(data);
      const results = await Promise.all(Array.from({ length: 50 }, () => opened(cache, 'npm/pkg/-/pkg-1.0.0.tgz', { fetch: fetchUpstream, expectedDigest: { algorithm: 'sha256', hex } })));
      upstream.release();
      const bodies = await Promise.all(results.map((r) => drain(r.body)));
      expect(upstream.requests()).toBe(1);
      expect(bodies.filter((b) => b.error === undefined && sha256(b.data) === hex)).toHaveLength(50);
      expect(await store.head('npm/pkg/-/pkg-1.0.0.tgz')).toMatchObject({ size: data.length, digests: { sha256: hex } });
      const hit = await opened(cache, 'npm/pkg/-/pkg-1.0.0.tgz', { fetch: fetchUpstream });
      expect(hit.source).toBe('cache');
      expect(sha256((await drain(hit.body)).data)).toBe(hex);
      expect(upstream.requests()).toBe(1);
    } finally {
      await upstream.close();
    }
  });

  it('with download redirects, streams and caches a miss, then hands out a presigned URL that serves the same bytes', async () => {
    const store = createS3BlobStore({ ...requireServicesEnv().s3, prefix: `read-through-${randomUUID()}`, logger: silentLogger });
    const data = payload(500_000);
    const upstream = await startUpstream(data);
    try {
      const cache = createReadThrough({ store, logger: silentLogger, redirect: { expiresInMs: 60_000 } });
      const fill = {
        fetch: async (signal: AbortSignal) => ({ body: await get(upstream.url, signal), size: data.length }),
        expectedDigest: { algorithm: 'sha256' as const, hex: sha256(data) },
      };
      upstream.release();
      const miss = await opened(cache, 'pypi/p/p-1.0-py3-none-any.whl', fill);
      expect({ source: miss.source, location: miss.location }).toEqual({ source: 'upstream', location: undefined });
      expect(sha256((await drain(miss.body)).data)).toBe(fill.expectedDigest.hex);
      const hit = await opened(cache, 'pypi/p/p-1.0-py3-none-any.whl', fill);
      expect(hit).toMatchObject({ source: 'cache', body: undefined, size: data.length });
      const res = await fetch(hit.location as string);
      expect(res.status).toBe(200);
      expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(fill.expectedDigest.hex);
      expect(upstream.requests()).toBe(1);
    } finally {
      await upstream.close();
    }
  });
});
