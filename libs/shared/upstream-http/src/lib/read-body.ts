import { finished } from 'node:stream/promises';
import { AppError } from '@registry/shared-errors';
import type { UpstreamResponse } from './upstream-client';

/**
 * Buffers an upstream body, refusing more than `maxBytes` (checked against Content-Length first, then
 * while reading), so a hostile or broken upstream cannot exhaust memory. Over the cap:
 * AppError('upstream_unavailable'); the body is destroyed and the socket released.
 */
export async function readBuffer(res: UpstreamResponse, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.body.destroy();
    throw tooLarge(res.url, maxBytes);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body) {
    const buf = chunk as Uint8Array;
    size += buf.length;
    if (size > maxBytes) {
      res.body.destroy();
      throw tooLarge(res.url, maxBytes);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks, size);
}

/** The body as UTF-8 text, size-capped like readBuffer. */
export async function readText(res: UpstreamResponse, maxBytes: number): Promise<string> {
  return (await readBuffer(res, maxBytes)).toString('utf8');
}

/** The body parsed as JSON, size-capped; malformed JSON is AppError('upstream_unavailable'). */
export async function readJson<T = unknown>(res: UpstreamResponse, maxBytes: number): Promise<T> {
  const text = await readText(res, maxBytes);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new AppError('upstream_unavailable', `upstream sent malformed JSON for ${res.url}`, { cause: err });
  }
}

/** Reads and discards the body (releases the connection for keep-alive reuse). */
export async function discardBody(res: Pick<UpstreamResponse, 'body'>): Promise<void> {
  await finished(res.body.resume()).catch(() => undefined);
}

const tooLarge = (url: string, maxBytes: number): AppError =>
  new AppError('upstream_unavailable', `upstream body for ${url} exceeds ${maxBytes} bytes`, {
    details: { maxBytes },
  });
