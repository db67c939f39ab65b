import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RecordedExchange } from '@registry/shared-testing';
import { capture, type Captured } from './record';
import type { Recording } from './recordings';
import { fileHostsIn, HostPlaceholders } from './sanitize';

export interface RecordSetOptions {
  /** Directory the fixtures go to (emptied first: a refresh replaces the whole set). */
  dir: string;
  title: string;
  /** The upstream base URLs, each with the placeholder role its host gets (e.g. `pypi-index`). */
  upstreams: Array<{ url: string; role: string }>;
  /** Role for hosts that documents point files at (PyPI files host, npm tarball host). */
  fileRole: string;
  recordings: Recording[];
  /** Called with the first captures; may add recordings that depend on them (e.g. an attestations URL). */
  followUps?: (captured: ReadonlyMap<string, Captured>) => Recording[];
  /** Accept headers to probe on `probeUrl`; only status and Content-Type are kept. */
  probeUrl: string;
  probes: Array<string | undefined>;
  command: string;
}

/** A `recordings.json` row: what the protocol tests read (`loadRecordedFixtures`), plus why it was recorded. */
type Entry = RecordedExchange & { purpose: string };

/** Records, trims, sanitizes and writes one fixture set with its `recordings.json` and README. */
export async function recordSet(opts: RecordSetOptions): Promise<void> {
  const hosts = new HostPlaceholders();
  for (const upstream of opts.upstreams) hosts.add(new URL(upstream.url).host, upstream.role);

  const captured = new Map<string, Captured>();
  const done: Array<{ rec: Recording; res: Captured }> = [];
  const run = async (recs: Recording[]) => {
    for (const rec of recs) {
      const res = await capture(rec);
      process.stderr.write(`${res.status} ${rec.method ?? 'GET'} ${rec.name}\n`);
      captured.set(rec.name, res);
      done.push({ rec, res });
    }
  };
  await run(opts.recordings);
  await run(opts.followUps?.(captured) ?? []);
  const probes: Array<{ accept: string | null; status: number; contentType: string | null }> = [];
  for (const accept of opts.probes) {
    const res = await capture({ url: opts.probeUrl, ...(accept !== undefined ? { accept } : {}) });
    probes.push({ accept: accept ?? null, status: res.status, contentType: res.headers['content-type'] ?? null });
  }

  // Every host we talked to, and every host a document sends clients to for files, becomes a placeholder.
  for (const { rec, res } of done) {
    hosts.add(new URL(rec.url).host, opts.fileRole);
    for (const host of fileHostsIn(res.body)) hosts.add(host, opts.fileRole);
    if (res.headers['location']) hosts.add(new URL(res.headers['location'], rec.url).host, opts.fileRole);
  }

  rmSync(opts.dir, { recursive: true, force: true });
  mkdirSync(opts.dir, { recursive: true });
  const entries: Entry[] = done.map(({ rec, res }) => {
    const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, hosts.rewrite(v)]));
    const file = rec.keepBody !== false && res.body !== '' ? `${rec.name}${extensionFor(res.headers['content-type'])}` : null;
    if (file !== null) {
      const body = hosts.rewrite(rec.trim && res.status === 200 ? rec.trim.apply(res.body) : res.body);
      hosts.assertClean(body, file);
      writeFileSync(path.join(opts.dir, file), body);
    }
    const url = new URL(rec.url);
    return {
      name: rec.name,
      file,
      purpose: rec.purpose,
      method: rec.method ?? 'GET',
      path: url.pathname + url.search,
      accept: rec.accept ?? null,
      status: res.status,
      headers,
      trimmed: rec.trim && res.status === 200 ? rec.trim.describe : null,
    };
  });
  const manifest = { recordedAt: new Date().toISOString(), command: opts.command, placeholders: hosts.roles(), recordings: entries, negotiation: { path: new URL(opts.probeUrl).pathname, probes } };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  hosts.assertClean(manifestText, 'recordings.json');
  writeFileSync(path.join(opts.dir, 'recordings.json'), manifestText);
  writeFileSync(path.join(opts.dir, 'README.md'), readme(opts, manifest.recordedAt, entries, hosts.roles()));
  for (const file of readdirSync(opts.dir)) process.stderr.write(`wrote ${path.join(opts.dir, file)}\n`);
}

const ROLE_TEXT: Record<string, string> = {
  'pypi-index': 'the PyPI simple index host given to the recorder (it also serves the Integrity API)',
  'pypi-files': 'the host the index sends clients to for distribution files',
  'npm-registry': 'the npm registry host given to the recorder',
  'npm-tarballs': 'a host the packuments send clients to for tarballs or attestations',
};

/** The body file's extension after the answer's media type (an upstream may ignore the Accept header). */
function extensionFor(contentType: string | undefined): string {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return '.json';
  if (type === 'text/html' || type.endsWith('+html')) return '.html';
  return '.txt';
}

function readme(opts: RecordSetOptions, recordedAt: string, entries: Entry[], placeholders: Record<string, string>): string {
  const rows = entries.map(
    (e) => `| ${e.name} | ${e.file ?? '(none kept)'} | ${e.method} \`${e.path}\` | ${e.accept ? `\`${e.accept}\`` : '(none)'} | ${e.status} \`${e.headers['content-type'] ?? ''}\` | ${e.purpose}${e.trimmed ? ` (trimmed: ${e.trimmed})` : ''} |`,
  );
  return [
    `# ${opts.title}: recorded upstream answers`,
    '',
    `Recorded on ${recordedAt.slice(0, 10)} (${recordedAt}) by \`${opts.command}\`, which asks the upstream URLs given`,
    "on its command line (or the machine's pip/npm client configuration) and writes this directory again from scratch.",
    'The bodies are the upstream bytes except where a row says "trimmed". Every upstream host is replaced by a',
    'placeholder under `.invalid`, in bodies and headers alike (the repository never names an upstream host):',
    '',
    ...Object.entries(placeholders).map(([p, role]) => `- \`${p}\`: ${ROLE_TEXT[role] ?? `a host of role ${role}`}`),
    '',
    '`recordings.json` lists every request (method, path, Accept), the status and the protocol-relevant response',
    'headers, and the Content-Type upstream chose for each Accept header probed on one URL (`negotiation`).',
    'A non-200 row without a file is itself the fact: for example, a 404 says this upstream does not serve that document.',
    '',
    '| recording | body file | request | Accept | answer | what it is for |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
