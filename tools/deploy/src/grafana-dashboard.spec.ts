import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { freePort, startAppProcess, type AppProcess } from '@registry/shared-testing';
import { COMPOSE_FILE, REPO_ROOT, parseYamlDocuments } from './tools';

// infra/grafana: the dashboard provisioned in compose (profile `monitoring`). Every metric a panel queries is one
// the real services export on /metrics (the built apps are started here, no Kafka: audit is off in the gateway).
const GRAFANA = path.join(REPO_ROOT, 'infra', 'grafana');
const dashboard = JSON.parse(readFileSync(path.join(GRAFANA, 'dashboards', 'registry.json'), 'utf8')) as Dashboard;
interface Target { refId: string; expr: string; datasource: { uid: string } }
interface Panel { id: number; type: string; title: string; description?: string; gridPos: { x: number; y: number; w: number; h: number }; targets?: Target[]; datasource?: { uid: string }; fieldConfig?: { defaults: { unit?: string } } }
interface Dashboard { uid: string; title: string; panels: Panel[] }
const queried = dashboard.panels.filter((p) => p.type !== 'row');
const SERVICE_METRIC = /\b(?:pypi_proxy|npm_proxy|audit_gateway)_[a-z0-9_]+/g;

/** Metric names in a PromQL expression, histogram series mapped to their metric (_bucket/_count/_sum). */
export function metricsOf(expr: string): string[] {
  return [...expr.matchAll(SERVICE_METRIC)].map((m) => m[0]);
}

/** Names of every series family a /metrics page declares (# TYPE lines), histograms with their three series. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(m[1]!);
    if (m[2] === 'histogram' || m[2] === 'summary') for (const s of ['_bucket', '_count', '_sum']) names.add(m[1]! + s);
  }
  return names;
}

describe('Grafana dashboard (infra/grafana/dashboards/registry.json)', () => {
  const names = new Set<string>();
  const apps: AppProcess[] = [];
  let tmp = '';

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'deploy-checks-grafana-'));
    const grpc = await freePort();
    const gateway = await startAppProcess({ root: REPO_ROOT, app: 'audit-gateway', portVariable: 'AUDIT_GATEWAY_HTTP_PORT', env: { AUDIT_GATEWAY_PORT: String(grpc), DATA_DIR: path.join(tmp, 'gateway') } });
    apps.push(gateway);
    const audit = { AUDIT_GATEWAY_ADDR: `127.0.0.1:${grpc}`, STORAGE_DRIVER: 'fs' };
    apps.push(await startAppProcess({ root: REPO_ROOT, app: 'pypi-proxy', portVariable: 'PYPI_PROXY_PORT', env: { ...audit, DATA_DIR: path.join(tmp, 'pypi') } }));
    apps.push(await startAppProcess({ root: REPO_ROOT, app: 'npm-proxy', portVariable: 'NPM_PROXY_PORT', env: { ...audit, DATA_DIR: path.join(tmp, 'npm') } }));
    for (const app of apps) for (const n of exported(await (await fetch(`${app.url}/metrics`)).text())) names.add(n);
  }, 180_000);

  afterAll(async () => {
    await Promise.all(apps.map((a) => a.stop()));
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('queries only metrics the services export', () => {
    const missing = queried.flatMap((p) => (p.targets ?? []).flatMap((t) => metricsOf(t.expr).filter((m) => !names.has(m)).map((m) => `${p.title}: ${m}`)));
    expect(missing).toEqual([]);
    expect(queried.every((p) => (p.targets ?? []).every((t) => metricsOf(t.expr).length > 0))).toBe(true);
  });

  it('the metric check sees a name the services do not export (negative control)', () => {
    expect(names.has('pypi_proxy_http_request_duration_seconds_bucket')).toBe(true);
    expect(metricsOf('sum(rate(pypi_proxy_cache_hits_total[5m]))').filter((m) => !names.has(m))).toEqual(['pypi_proxy_cache_hits_total']);
  });

  it('covers requests, latency, cache hits, upstream health, the audit queue, the spool and Kafka errors', () => {
    const titles = queried.map((p) => p.title.toLowerCase()).join('\n');
    for (const topic of ['requests per second', 'latency', 'cache hit ratio', 'cache requests by result', 'upstream', 'audit queue', 'spool', 'kafka errors', 'package file requests']) expect(titles).toContain(topic);
  });

  it('is well-formed: unique ids, panels on the 24-column grid, a unit and a description on each, one datasource', () => {
    expect(new Set(dashboard.panels.map((p) => p.id)).size).toBe(dashboard.panels.length);
    for (const p of dashboard.panels) expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    for (const p of queried) {
      expect({ title: p.title, unit: p.fieldConfig?.defaults.unit ?? '', description: Boolean(p.description) }).toEqual({ title: p.title, unit: expect.stringMatching(/\S/), description: true });
      expect(new Set((p.targets ?? []).map((t) => t.refId)).size).toBe(p.targets?.length);
    }
    const datasource = parseYamlDocuments(readFileSync(path.join(GRAFANA, 'provisioning', 'datasources', 'prometheus.yml'), 'utf8'))[0] as { datasources: { uid: string; url: string }[] };
    const uids = new Set(queried.flatMap((p) => [p.datasource?.uid, ...(p.targets ?? []).map((t) => t.datasource.uid)]));
    expect([...uids]).toEqual([datasource.datasources[0]!.uid]);
  });

  it('is provisioned in compose (profile monitoring) with Prometheus scraping the three services', () => {
    const compose = parseYamlDocuments(readFileSync(COMPOSE_FILE, 'utf8'))[0] as { services: Record<string, { profiles?: string[]; volumes?: string[]; environment?: Record<string, string> }> };
    const grafana = compose.services['grafana']!;
    expect(grafana.profiles).toEqual(['monitoring']);
    expect(grafana.volumes).toEqual(expect.arrayContaining(['../grafana/provisioning:/etc/grafana/provisioning:ro', '../grafana/dashboards:/var/lib/grafana/dashboards/registry:ro']));
    expect(grafana.environment?.['GF_AUTH_ANONYMOUS_ENABLED']).toBe('false');
    const provider = parseYamlDocuments(readFileSync(path.join(GRAFANA, 'provisioning', 'dashboards', 'registry.yml'), 'utf8'))[0] as { providers: { options: { path: string } }[] };
    expect(provider.providers[0]!.options.path).toBe('/var/lib/grafana/dashboards/registry');
    const prometheus = parseYamlDocuments(readFileSync(path.join(REPO_ROOT, 'infra', 'compose', 'prometheus.yml'), 'utf8'))[0] as { scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[] };
    const targets = Object.fromEntries(prometheus.scrape_configs.map((s) => [s.job_name, s.static_configs[0]!.targets[0]]));
    expect(targets).toEqual({ 'pypi-proxy': 'pypi-proxy:8081', 'npm-proxy': 'npm-proxy:8082', 'audit-gateway': 'audit-gateway:8083' });
  });
});
