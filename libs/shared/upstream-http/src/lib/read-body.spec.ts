import { Readable } from 'node:stream';
import { AppError } from '@registry/shared-errors';
import { readBuffer, readJson, readText } from './read-body';
import type { UpstreamResponse } from './upstream-client';

const response = (chunks: string[], headers: Record<string, string> = {}): UpstreamResponse => ({
  status: 200, headers, url: 'http://127.0.0.1:1/x', body: Readable.from(chunks.map((c) => Buffer.from(c))),
});

const codeOf = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return (err as AppError).code;
};

describe('size-capped body readers', () => {
  it('reads text and JSON within the cap', async () => {
    expect(await readText(response(['he', 'llo']), 5)).toBe('hello');
    expect(await readJson(response(['{"a":', '1}']), 100)).toEqual({ a: 1 });
  });

  it('refuses a body whose Content-Length exceeds the cap, without reading it', async () => {
    const res = response(['x'.repeat(10)], { 'content-length': '10' });
    expect(await codeOf(readBuffer(res, 9))).toBe('upstream_unavailable');
    expect(res.body.destroyed).toBe(true);
  });

  it('refuses a chunked body that grows past the cap', async () => {
    const res = response(['12345', '67890', 'more']);
    expect(await codeOf(readText(res, 8))).toBe('upstream_unavailable');
    expect(res.body.destroyed).toBe(true);
  });

  it('reports malformed JSON as upstream_unavailable', async () => {
    expect(await codeOf(readJson(response(['{not json']), 100))).toBe('upstream_unavailable');
  });
});
