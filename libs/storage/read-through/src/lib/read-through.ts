import { tmpdir } from 'node:os';
import type { Logger } from '@registry/shared-logger';
import { assertValidKey, type BlobStore } from '@registry/storage-blob-store';
import { Flight } from './flight';
import { SpoolReader } from './spool-reader';
import type { FetchThroughOptions, ReadThrough, ReadThroughResult } from './types';

export interface ReadThroughOptions {
  store: BlobStore;
  logger: Logger;
  /** Where downloads in progress are spooled (unlinked files, so nothing outlives the process); default os.tmpdir(). */
  spoolDir?: string;
}

/**
 * Pull-through caching on a BlobStore. A hit streams from the store (optionally a byte range). Concurrent misses
 * for one key share one upstream download (coalesced in this process): the download is spooled to a local file
 * and every caller, whether it arrived first or joined while the download runs, streams from that spool as the
 * bytes arrive. Callers arriving after the commit read from the store. A download that fails, is truncated, or
 * does not match its digest is never committed, every caller's stream is destroyed with the error, and the
 * next request starts a fresh download.
 */
export function createReadThrough(opts: ReadThroughOptions): ReadThrough {
  const { store, logger } = opts;
  const spoolDir = opts.spoolDir ?? tmpdir();
  const flights = new Map<string, { flight: Flight; started: Promise<'cache' | 'upstream'> }>();

  const fromCache = async (key: string, fetchOpts: FetchThroughOptions): Promise<ReadThroughResult | undefined> => {
    const blob = await store.get(key, { ...(fetchOpts.range ? { range: fetchOpts.range } : {}), ...(fetchOpts.signal ? { signal: fetchOpts.signal } : {}) });
    if (blob === undefined) return undefined;
    const expected = fetchOpts.expectedDigest;
    const recorded = expected === undefined ? undefined : blob.meta.digests[expected.algorithm];
    if (expected !== undefined && recorded !== undefined && recorded !== expected.hex.toLowerCase()) {
      // The upstream now announces another digest for this key: treat the cached copy as stale and refetch.
      logger.warn({ key, algorithm: expected.algorithm, recorded, expected: expected.hex }, 'cached blob digest differs from upstream; refetching');
      blob.body.destroy();
      return undefined;
    }
    return { source: 'cache', meta: blob.meta, body: blob.body, size: blob.meta.size, contentType: blob.meta.contentType, ...(blob.range ? { range: blob.range } : {}) };
  };

  const join = (key: string, fetchOpts: FetchThroughOptions): { flight: Flight; started: Promise<'cache' | 'upstream'> } => {
    const existing = flights.get(key);
    if (existing !== undefined) return existing;
    const flight = new Flight(key, store, fetchOpts);
    const entry = {
      flight,
      started: flight.start(spoolDir, () => {
        if (flights.get(key) === entry) flights.delete(key);
        if (flight.error !== undefined) logger.warn({ key, err: flight.error }, 'read-through download failed; not cached');
      }),
    };
    entry.started.catch(() => undefined); // every joiner awaits it; this only keeps an unobserved failure quiet
    flights.set(key, entry);
    return entry;
  };

  return {
    async fetchThrough(key, fetchOpts) {
      assertValidKey(key);
      const hit = await fromCache(key, fetchOpts);
      if (hit !== undefined) return hit;
      const { flight, started } = join(key, fetchOpts);
      flight.retain(); // synchronously, so the spool stays open until this caller's reader is done with it
      let outcome: 'cache' | 'upstream';
      try {
        outcome = await started;
      } catch (err) {
        flight.release();
        throw err;
      }
      if (outcome === 'cache') {
        flight.release();
        const late = await fromCache(key, fetchOpts);
        if (late !== undefined) return late;
        return this.fetchThrough(key, fetchOpts); // deleted in between: start over
      }
      const body = new SpoolReader(flight);
      const signal = fetchOpts.signal;
      if (signal !== undefined) {
        const onAbort = (): void => { body.destroy(); };
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
        body.once('close', () => signal.removeEventListener('abort', onAbort));
      }
      const { size, contentType } = flight.upstream;
      return { source: 'upstream', body, size, ...(contentType === undefined ? {} : { contentType }) };
    },
    inFlight: () => flights.size,
  };
}
