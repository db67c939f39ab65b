// The hanging-upstream installs (cases.mjs HANGING_GROUP): turning an instance's fault proxies faulty through
// the fixture upstream's control port, timing the first request that meets the fault, and noting when our proxy
// marks the upstream unhealthy (its <prefix>_upstream_up metric), against the timeouts the instance was started
// with (read back from its environment, so the report shows what was really configured).
import { readFileSync } from 'node:fs';
import { NPM_CORGI, PIP_ACCEPT } from './cases.mjs';

const METRIC = { npm: /^npm_proxy_upstream_up\{upstream="npm"\} (\d)/m, pypi: /^pypi_proxy_upstream_up\{upstream="pypi"\} (\d)/m };
const PREFIX = { npm: 'NPM', pypi: 'PYPI' };

/** The instance's connect and headers timeouts (ms) from /proc/<pid>/environ; undefined when not set there. */
export function configuredTimeouts(pid, family) {
  let vars = [];
  try { vars = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0'); } catch { /* gone */ }
  const value = (name) => {
    const line = vars.find((v) => v.startsWith(`${PREFIX[family]}_${name}=`));
    return line ? Number(line.slice(line.indexOf('=') + 1)) : undefined;
  };
  return { connect_timeout_ms: value('UPSTREAM_CONNECT_TIMEOUT_MS'), headers_timeout_ms: value('UPSTREAM_TIMEOUT_MS') };
}

export async function setFault(controlUrl, set, kind) {
  const res = await fetch(`${controlUrl}/fault?set=${encodeURIComponent(set)}&kind=${encodeURIComponent(kind)}`, { method: 'POST' });
  if (res.status !== 204) throw new Error(`fault set ${set}: ${res.status}`);
}

/** TCP connections the fault proxies of a set have accepted so far (a hanging one counts, requests do not). */
export async function faultConnections(controlUrl, set) {
  const all = await (await fetch(`${controlUrl}/faults`)).json();
  return Object.values(all[set] ?? {}).reduce((n, o) => n + o.connections, 0);
}

/** A document every install asks for first: a direct dependency's packument, a top-level requirement's page. */
function firstDocument(family, tree) {
  if (family === 'npm') return { path: `/${Object.keys(tree.root.dependencies)[0]}`, accept: NPM_CORGI };
  return { path: `/simple/${tree.requirements[0].split(/[<>=!~ ;[]/)[0]}/`, accept: PIP_ACCEPT };
}

/** Times one GET of that document from ours (its cached copy is past its TTL): { ms, status, stale }. */
export async function timeFirstRequest(baseUrl, family, tree) {
  const doc = firstDocument(family, tree);
  const started = performance.now();
  const res = await fetch(`${baseUrl}${doc.path}`, { headers: { accept: doc.accept } });
  await res.arrayBuffer();
  return { ms: performance.now() - started, status: res.status, stale: res.headers.get('x-registry-stale') === 'true' };
}

/**
 * Polls ours' metrics (every 100 ms, until `limitMs` after `since`, a performance.now() value) until the upstream
 * is marked unhealthy; resolves to the seconds since `since`, or undefined if it never was.
 */
export async function watchTrip(baseUrl, family, since, limitMs) {
  while (performance.now() - since < limitMs) {
    try {
      const m = METRIC[family].exec(await (await fetch(`${baseUrl}/metrics`)).text());
      if (m && m[1] === '0') return (performance.now() - since) / 1000;
    } catch { /* busy: try again */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return undefined;
}
