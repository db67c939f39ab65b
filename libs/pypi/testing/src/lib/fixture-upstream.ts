import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sha256Hex } from './make-distributions';

export interface FixtureFile {
  filename: string;
  bytes: Buffer;
  requiresPython?: string;
  /** false, or the yank reason. */
  yanked?: false | string;
  /** PEP 658 body, served at `<url>.metadata` and advertised with its hash. */
  metadata?: Buffer;
  /** Advertise this file on an origin the proxy is not configured for (SSRF guard test). */
  foreignOrigin?: boolean;
  /** PEP 740: the provenance object's bytes, served as they are by the index's Integrity API and linked from pages. */
  provenance?: Buffer;
  /** Link the provenance on an origin the proxy is not configured for (SSRF guard test). */
  foreignProvenance?: boolean;
  /** PEP 700 `upload-time` (ISO-8601); default a fixed time long ago. */
  uploadTime?: string;
}

/** PEP 792 status of a fixture project. */
export interface FixtureProjectStatus {
  status: string;
  reason?: string;
}

/** How the files origin misbehaves: a short body, or the right length with the wrong bytes. */
export type FileMode = 'ok' | 'truncate' | 'corrupt' | 'error';

export interface FixtureUpstream {
  /** Simple index base, e.g. http://127.0.0.1:1234/simple */
  indexUrl: string;
  /** Files origin, e.g. http://127.0.0.1:1235 */
  filesUrl: string;
  /** Every request both origins received, as "METHOD /path". */
  readonly requests: string[];
  setProject(name: string, files: FixtureFile[]): void;
  /** PEP 792: the project status its pages carry (undefined: none). */
  setProjectStatus(name: string, status: FixtureProjectStatus | undefined): void;
  removeProject(name: string): void;
  fileMode: FileMode;
  /** When true the index answers 503 (an outage that keeps the port open). */
  indexDown: boolean;
  stop(): Promise<void>;
}

/**
 * A local PyPI-like upstream on two loopback origins (index + files, like the real split) that serves
 * PEP 691 JSON or PEP 503 HTML with ETags, counts requests, and can truncate or corrupt file bodies.
 */
export async function startFixtureUpstream(): Promise<FixtureUpstream> {
  const projects = new Map<string, FixtureFile[]>();
  const statuses = new Map<string, FixtureProjectStatus>();
  const requests: string[] = [];
  const files = await listen((req, res) => serveFile(req, res));
  const index = await listen((req, res) => servePage(req, res));
  const indexUrl = `http://127.0.0.1:${port(index)}/simple`;
  const filesUrl = `http://127.0.0.1:${port(files)}`;
  const state: FixtureUpstream = {
    indexUrl, filesUrl, requests, fileMode: 'ok', indexDown: false,
    setProject: (name, list) => projects.set(normalize(name), list),
    removeProject: (name) => projects.delete(normalize(name)),
    setProjectStatus: (name, status) => (status === undefined ? statuses.delete(normalize(name)) : statuses.set(normalize(name), status)),
    stop: async () => {
      await Promise.all([close(index), close(files)]);
    },
  };

  function fileUrl(project: string, file: FixtureFile): string {
    const origin = file.foreignOrigin ? filesUrl.replace('127.0.0.1', 'localhost') : filesUrl;
    return `${origin}/packages/${project}/${encodeURIComponent(file.filename)}`;
  }

  function provenanceUrl(project: string, file: FixtureFile): string {
    const origin = new URL(indexUrl).origin;
    return `${file.foreignProvenance ? origin.replace('127.0.0.1', 'localhost') : origin}/integrity/${project}/${versionOf(file.filename)}/${encodeURIComponent(file.filename)}/provenance`;
  }

  function servePage(req: IncomingMessage, res: ServerResponse): void {
    requests.push(`${req.method} ${req.url}`);
    if (state.indexDown) return void res.writeHead(503).end('down for maintenance');
    if ((req.url ?? '').startsWith('/integrity/')) return serveProvenance(req, res);
    if (req.url === '/simple/') return serveRoot(req, res);
    const m = /^\/simple\/([^/]+)\/$/.exec(req.url ?? '');
    const list = m ? projects.get(m[1] as string) : undefined;
    if (m === null || list === undefined) return void res.writeHead(404).end('not found');
    const project = m[1] as string;
    const json = (req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json');
    const body = json ? jsonPage(project, list) : htmlPage(project, list);
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, {
      'content-type': json ? 'application/vnd.pypi.simple.v1+json' : 'text/html; charset=utf-8',
      etag, 'cache-control': 'max-age=600', vary: 'Accept',
    }).end(body);
  }

  /** The root index: every project (JSON or HTML, as asked). */
  function serveRoot(req: IncomingMessage, res: ServerResponse): void {
    const names = [...projects.keys()].sort();
    const json = (req.headers.accept ?? '').includes('application/vnd.pypi.simple.v1+json');
    const body = json
      ? JSON.stringify({ meta: { 'api-version': '1.1', '_last-serial': 1 }, projects: names.map((name) => ({ name, _last_serial: 1 })) })
      : `<!DOCTYPE html><html><body>\n${names.map((n) => `<a href="/simple/${n}/">${n}</a>`).join('\n')}\n</body></html>`;
    res.writeHead(200, { 'content-type': json ? 'application/vnd.pypi.simple.v1+json' : 'text/html; charset=utf-8' }).end(body);
  }

  /** `/integrity/<project>/<version>/<filename>/provenance`: the bytes as given, JSON only (protocols §11). */
  function serveProvenance(req: IncomingMessage, res: ServerResponse): void {
    const m = /^\/integrity\/([^/]+)\/([^/]+)\/([^/]+)\/provenance$/.exec(req.url ?? '');
    const filename = m ? decodeURIComponent(m[3] as string) : '';
    const file = m ? projects.get(m[1] as string)?.find((f) => f.filename === filename && versionOf(f.filename) === m[2]) : undefined;
    if (file?.provenance === undefined) {
      return void res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ message: `No provenance available for ${filename}` }));
    }
    const etag = `"${createHash('sha256').update(new Uint8Array(file.provenance)).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) return void res.writeHead(304, { etag }).end();
    res.writeHead(200, { 'content-type': 'application/vnd.pypi.integrity.v1+json', etag }).end(file.provenance);
  }

  function jsonPage(project: string, list: FixtureFile[]): string {
    const status = statuses.get(project);
    const withProvenance = list.some((f) => f.provenance !== undefined);
    return JSON.stringify({
      meta: { 'api-version': status ? '1.4' : withProvenance ? '1.3' : '1.1', '_last-serial': 4242 },
      name: project,
      ...(status ? { 'project-status': status } : {}),
      // PEP 700: every file's version is listed (a real index lists its release versions).
      versions: [...new Set(list.flatMap((f) => versionOf(f.filename) ?? []))],
      files: list.map((f) => ({
        ...(withProvenance ? { provenance: f.provenance ? provenanceUrl(project, f) : null } : {}),
        filename: f.filename, url: fileUrl(project, f), hashes: { sha256: sha256Hex(f.bytes) },
        ...(f.requiresPython ? { 'requires-python': f.requiresPython } : {}),
        'core-metadata': f.metadata ? { sha256: sha256Hex(f.metadata) } : false,
        size: f.bytes.length, 'upload-time': f.uploadTime ?? '2026-01-02T03:04:05.000000Z', yanked: f.yanked ?? false,
      })),
    });
  }

  function htmlPage(project: string, list: FixtureFile[]): string {
    const anchors = list.map((f) => {
      const meta = f.metadata ? ` data-dist-info-metadata="sha256=${sha256Hex(f.metadata)}"` : '';
      const yank = f.yanked !== undefined && f.yanked !== false ? ` data-yanked="${f.yanked}"` : '';
      const provenance = f.provenance ? ` data-provenance="${provenanceUrl(project, f)}"` : '';
      return `<a href="${fileUrl(project, f)}#sha256=${sha256Hex(f.bytes)}"${meta}${yank}${provenance}>${f.filename}</a>`;
    });
    const status = statuses.get(project);
    const head = status === undefined ? '' : [
      `<meta name="pypi:project-status" content="${status.status}">`,
      ...(status.reason === undefined ? [] : [`<meta name="pypi:project-status-reason" content="${status.reason}">`]),
    ].join('');
    return `<!DOCTYPE html><html><head>${head}</head><body>${anchors.join('\n')}</body></html>`;
  }

  function serveFile(req: IncomingMessage, res: ServerResponse): void {
    requests.push(`${req.method} ${req.url}`);
    const m = /^\/packages\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
    const wantsMetadata = m?.[2]?.endsWith('.metadata') ?? false;
    const filename = m ? decodeURIComponent((m[2] as string).replace(/\.metadata$/, '')) : '';
    const file = m ? projects.get(m[1] as string)?.find((f) => f.filename === filename) : undefined;
    const body = wantsMetadata ? file?.metadata : file?.bytes;
    if (body === undefined) return void res.writeHead(404).end('not found');
    if (state.fileMode === 'error') return void res.writeHead(500).end('boom');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(body.length) });
    if (req.method === 'HEAD') return void res.end();
    if (state.fileMode === 'truncate') {
      res.write(body.subarray(0, Math.floor(body.length / 2)));
      setImmediate(() => res.destroy());
      return;
    }
    if (state.fileMode === 'corrupt') return void res.end(Buffer.from(body.map((b) => b ^ 0xff)));
    res.end(body);
  }

  return state;
}

const versionOf = (filename: string): string | undefined => /^[^-]+-([^-]+?)(?:-.*\.whl|\.tar\.gz|\.zip)$/.exec(filename)?.[1];
const normalize = (name: string) => name.replace(/[-_.]+/g, '-').toLowerCase();
const port = (server: Server) => (server.address() as AddressInfo).port;

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<Server> {
  const server = createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
