import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '@registry/shared-errors';
import type { OsvRecord } from './osv';

/** One read of the feed: its records, and a validator for the next conditional read. */
export interface FeedRead {
  records: OsvRecord[];
  etag: string | undefined;
}

/** Where OSV records come from; `not_modified` when the validator still holds. */
export interface OsvSource {
  readonly location: string;
  read(etag: string | undefined): Promise<FeedRead | 'not_modified'>;
}

/**
 * A feed location given at run time (README "Firewall"): an http(s) URL (a JSON array of records, one record,
 * or `{"vulns": [...]}`, read with If-None-Match), a `file:` URL or path of such a file, or a directory of
 * `*.json` records (OSV's own export layout), whose validator is the names, sizes and mtimes of its files.
 */
export function osvSourceOf(location: string): OsvSource {
  if (/^https?:\/\//i.test(location)) return httpSource(location);
  const file = location.startsWith('file:') ? fileURLToPath(location) : location;
  return {
    location,
    async read(etag) {
      const info = await stat(file);
      if (!info.isDirectory()) {
        const validator = `${info.size}-${info.mtimeMs}`;
        if (validator === etag) return 'not_modified';
        return { records: recordsOf(await readFile(file, 'utf8'), file), etag: validator };
      }
      const names = (await readdir(file)).filter((n) => n.endsWith('.json')).sort();
      const stats = await Promise.all(names.map((n) => stat(path.join(file, n))));
      const validator = createHash('sha256').update(names.map((n, i) => `${n}:${stats[i]?.size}:${stats[i]?.mtimeMs}`).join('\n')).digest('hex');
      if (validator === etag) return 'not_modified';
      const records = [];
      for (const n of names) records.push(...recordsOf(await readFile(path.join(file, n), 'utf8'), n));
      return { records, etag: validator };
    },
  };
}

function httpSource(url: string): OsvSource {
  return {
    location: url,
    async read(etag) {
      const res = await fetch(url, { headers: { accept: 'application/json', ...(etag ? { 'if-none-match': etag } : {}) }, signal: AbortSignal.timeout(30_000) });
      if (res.status === 304) return 'not_modified';
      if (!res.ok) throw new AppError('upstream_unavailable', `advisory feed ${url} answered ${res.status}`);
      return { records: recordsOf(await res.text(), url), etag: res.headers.get('etag') ?? undefined };
    },
  };
}

/** The records of one JSON text; entries without an id or `affected` list are skipped, bad JSON is an error. */
function recordsOf(text: string, where: string): OsvRecord[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new AppError('upstream_unavailable', `advisory feed ${where} is not JSON: ${(err as Error).message}`);
  }
  const list = Array.isArray(doc) ? doc : Array.isArray((doc as { vulns?: unknown })?.vulns) ? (doc as { vulns: unknown[] }).vulns : [doc];
  return list.filter((r): r is OsvRecord => typeof (r as OsvRecord)?.id === 'string' && Array.isArray((r as OsvRecord).affected));
}
