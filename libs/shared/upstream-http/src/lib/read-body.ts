import { Readable } from 'node:stream';
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

/**
 * Re-emits `source` with its errors translated, so a body timeout or reset mid-stream surfaces as an
 * AppError to whoever pipes the body. Backpressure is preserved; destroying the result destroys the source
 * (which releases the socket).
 */
export function mapBodyErrors(source: Readable, translate: (err: unknown) => unknown): Readable {
  const out = new Readable({
    read() {
      source.resume();
    },
    destroy(err, callback) {
      source.destroy();
      callback(err);
    },
  });
  source.on('data', (chunk: Buffer) => {
    if (!out.push(chunk)) source.pause();
  });
  source.once('end', () => out.push(null));
  source.once('error', (err) => out.destroy(toError(translate(err))));
  source.pause();
  return out;
}

// Objects pass through as is: an abort reason is a DOMException, which is not `instanceof Error` in every realm.
const toError = (err: unknown): Error => (typeof err === 'object' && err !== null ? (err as Error) : new Error(String(err)));
