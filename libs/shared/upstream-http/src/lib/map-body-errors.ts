import { Readable } from 'node:stream';

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
