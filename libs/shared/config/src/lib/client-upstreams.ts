import { execFileSync } from 'node:child_process';
import { envBoolean } from './common-env';
import { redactConfig } from './load-config';

/**
 * The rule for an upstream URL nobody configured (README "Upstreams"): only when
 * UPSTREAM_FROM_CLIENT_CONFIG=true (what `npm start` sets; deployed configurations leave it off and never
 * guess), a proxy whose upstream variable is unset uses the registry this machine's own client uses:
 *   npm-proxy   `npm config get registry`;
 *   pypi-proxy  pip's index-url (`python3 -m pip config list`: PIP_INDEX_URL, then [install], then
 *               [global]), else pip's built-in default index and its file host.
 * A value that is not an http(s) URL, or that points at this proxy itself, is ignored (private-only).
 */
export type UpstreamKind = 'npm' | 'pypi';

/** What a proxy's upstream is and where it came from, for its start-up log line. */
export interface UpstreamOrigin {
  url: string | undefined;
  filesUrl?: string | undefined;
  source: string;
}

/** Runs a client command; its trimmed stdout, or undefined when it is missing, fails or hangs. */
export type RunClient = (command: string, args: string[]) => string | undefined;

const runClient: RunClient = (command, args) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 15_000 }).trim();
  } catch {
    return undefined;
  }
};

const VARIABLES = {
  npm: { url: 'NPM_UPSTREAM_URL', port: 'NPM_PROXY_PORT', defaultPort: '8082' },
  pypi: { url: 'PYPI_UPSTREAM_URL', port: 'PYPI_PROXY_PORT', defaultPort: '8081' },
} as const;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Applies the rule above to the environment before the app's schema parses it: returns the environment
 * (with the upstream variables filled in when derived) and the origin to log.
 */
export function upstreamFromClientConfig(kind: UpstreamKind, env: Env, run: RunClient = runClient): { env: Env; origin: UpstreamOrigin } {
  const vars = VARIABLES[kind];
  const configured = env[vars.url];
  if (configured) return { env, origin: { url: configured, source: vars.url } };
  const optIn = envBoolean.safeParse(env['UPSTREAM_FROM_CLIENT_CONFIG'] || 'false');
  if (!optIn.success || !optIn.data) {
    return { env, origin: { url: undefined, source: `${vars.url} is unset and UPSTREAM_FROM_CLIENT_CONFIG is off: private-only` } };
  }
  const derived = kind === 'npm' ? npmRegistry(run) : pipIndex(env, run);
  if (!derived.url) return { env, origin: { url: undefined, source: `${derived.source}: private-only` } };
  if (isSelf(derived.url, env[vars.port] || vars.defaultPort)) {
    return { env, origin: { url: undefined, source: `${derived.source} points at this proxy itself: ignored, private-only` } };
  }
  const filled: Record<string, string | undefined> = { ...env, [vars.url]: derived.url };
  if (derived.filesUrl && !env['PYPI_UPSTREAM_FILES_URL']) filled['PYPI_UPSTREAM_FILES_URL'] = derived.filesUrl;
  return { env: filled, origin: { ...derived, source: `${derived.source}, because UPSTREAM_FROM_CLIENT_CONFIG=true` } };
}

/** One line for the log: the URL without credentials, and where it came from. */
export function describeUpstream(origin: UpstreamOrigin): string {
  const safe = redactConfig({ url: origin.url, files: origin.filesUrl });
  const files = safe['files'] ? `, files from ${String(safe['files'])}` : '';
  return origin.url ? `upstream ${String(safe['url'])}${files} (from ${origin.source})` : `no upstream (${origin.source})`;
}

const isHttpUrl = (s: string | undefined): s is string => s !== undefined && /^https?:\/\/[^\s]+$/i.test(s);
const noSlash = (url: string): string => url.replace(/\/+$/, '');

function npmRegistry(run: RunClient): UpstreamOrigin {
  const registry = run('npm', ['config', 'get', 'registry']);
  if (registry === undefined) return { url: undefined, source: 'npm is not on PATH' };
  return isHttpUrl(registry) ? { url: noSlash(registry), source: 'this machine\'s npm configuration (npm config get registry)' } : { url: undefined, source: `npm's registry is not an http(s) URL (${registry})` };
}

/** pip reads PIP_INDEX_URL first, then the `install` section, then `global` (pip's own precedence). */
const PIP_KEYS = [':env:.index-url', 'install.index-url', 'global.index-url'];

function pipIndex(env: Env, run: RunClient): UpstreamOrigin {
  const python = env['PYTHON'] || 'python3';
  const listed = run(python, ['-m', 'pip', 'config', 'list']);
  if (listed === undefined) return { url: undefined, source: `pip is not available (${python} -m pip)` };
  const values = new Map(listed.split('\n').map((line) => /^([^=]+)='(.*)'$/.exec(line.trim())).filter((m) => m !== null).map((m) => [m[1], m[2]]));
  for (const key of PIP_KEYS) {
    const value = values.get(key);
    if (isHttpUrl(value)) return { url: noSlash(value), source: `this machine's pip configuration (${key})` };
  }
  // pip's built-in default, read from pip itself so that no host name is written here.
  const builtIn = run(python, ['-c', 'from pip._internal.models.index import PyPI\nprint(PyPI.simple_url)\nprint("https://" + PyPI.file_storage_domain)']);
  const [index, files] = (builtIn ?? '').split('\n');
  return isHttpUrl(index) ? { url: noSlash(index), filesUrl: isHttpUrl(files) ? noSlash(files) : undefined, source: "pip's built-in default index (no index-url is configured)" } : { url: undefined, source: 'pip has no index-url and its built-in default could not be read' };
}

function isSelf(url: string, ownPort: string): boolean {
  const u = new URL(url);
  const port = u.port || (u.protocol === 'https:' ? '443' : '80');
  return ['127.0.0.1', 'localhost', '[::1]', '0.0.0.0'].includes(u.hostname) && port === ownPort;
}
