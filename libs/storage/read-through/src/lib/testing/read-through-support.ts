import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { OpenOptions, ReadThrough, ReadThroughResult, UpstreamBody, UpstreamFill } from '../types';

/** A controllable upstream body: `sendHalf` bytes first, the rest only after `release()`, then `ending`. */
export interface GatedUpstream {
  fetch: (signal: AbortSignal) => Promise<UpstreamBody>;
  release(): void;
  readonly calls: number;
  readonly aborted: boolean;
}

export type Ending = 'complete' | 'truncate' | 'error';

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

export const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.compare(a, b) === 0;

const textBytes = (text: string): Uint8Array => new TextEncoder().encode(text);
export { textBytes };

export function payload(size: number, seed = 7): Uint8Array {
  const data = new Uint8Array(size);
  for (let i = 0; i < size; i++) data[i] = (i * 31 + seed) % 251;
  return data;
}

export function gatedUpstream(data: Uint8Array, ending: Ending = 'complete', declaredSize = data.length): GatedUpstream {
  let calls = 0;
  let aborted = false;
  let open!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  return {
    get calls() { return calls; },
    get aborted() { return aborted; },
    release: () => open(),
    fetch: async (signal) => {
      calls += 1;
      signal.addEventListener('abort', () => { aborted = true; });
      const half = Math.floor(data.length / 2);
      async function* chunks(): AsyncGenerator<Uint8Array> {
        for (let i = 0; i < half; i += 16_384) yield data.subarray(i, Math.min(i + 16_384, half));
        await gate;
        const end = ending === 'truncate' ? half + Math.floor((data.length - half) / 2) : data.length;
        for (let i = half; i < end; i += 16_384) yield data.subarray(i, Math.min(i + 16_384, end));
        if (ending === 'error') throw new Error('upstream connection reset');
      }
      return { body: Readable.from(chunks(), { objectMode: false }), size: declaredSize, contentType: 'application/octet-stream' };
    },
  };
}

/** Opens `key` through the read-through with an upstream fill; the result must be there (tests of misses and hits). */
export async function opened(cache: ReadThrough, key: string, upstream: UpstreamFill, opts: Omit<OpenOptions, 'upstream'> = {}): Promise<ReadThroughResult> {
  const result = await cache.open(key, { ...opts, upstream });
  if (result === undefined) throw new Error(`read-through returned nothing for ${key}`);
  return result;
}

/** Reads a body to the end; resolves with what arrived and the error, if it failed. */
export async function drain(body: Readable | Buffer | undefined): Promise<{ data: Uint8Array; error: unknown }> {
  if (body === undefined || Buffer.isBuffer(body)) return { data: new Uint8Array(body ?? []), error: undefined };
  const chunks: Uint8Array[] = [];
  let error: unknown;
  try {
    for await (const chunk of body) chunks.push(chunk as Uint8Array);
  } catch (err) {
    error = err;
  }
  const data = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const chunk of chunks) {
    data.set(chunk, offset);
    offset += chunk.length;
  }
  return { data, error };
}
