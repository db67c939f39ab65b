import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { COMPOSE_FILE, COMPOSE_SCHEMA, parseYamlDocuments, run, tool } from './tools';
import { appEnvKeys } from './app-env-schemas';
import { expectSameVariables } from './expect-same-variables';

// infra/compose/docker-compose.yml: valid per the Compose Specification schema (no compose engine here),
// wired with the apps' own variable names, and the init steps the stack needs (bucket, Tansu topic).
interface ComposeService {
  image?: string;
  build?: { args?: Record<string, string> };
  command?: string[] | string;
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  ports?: string[];
}
interface ComposeFile { services: Record<string, ComposeService> }

const validate = (file: string) => run(tool('PYTHON'), [path.join(__dirname, '..', 'scripts', 'validate-json-schema.py'), COMPOSE_SCHEMA, file]);

function environmentNames(service: ComposeService): string[] {
  const env = service.environment ?? {};
  return (Array.isArray(env) ? env.map((e) => e.split('=')[0]!) : Object.keys(env)).sort();
}

describe('docker-compose.yml', () => {
  let compose: ComposeFile;
  beforeAll(() => {
    compose = parseYamlDocuments(readFileSync(COMPOSE_FILE, 'utf8'))[0] as ComposeFile;
  });

  it('validates against the Compose Specification JSON schema', () => {
    const r = validate(COMPOSE_FILE);
    expect({ code: r.code, violations: r.stdout }).toEqual({ code: 0, violations: '' });
  });

  it('the schema check catches a malformed file (negative control)', () => {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'deploy-checks-')), 'bad-compose.yml');
    writeFileSync(file, 'services:\n  app:\n    image: x\n    enviroment: { A: "1" }\n    ports: 8080\n');
    const r = validate(file);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/enviroment/);
  });

  it.each(['pypi-proxy', 'npm-proxy', 'audit-gateway'])('%s gets exactly the variables of its config schema, built with APP=%s', (app) => {
    const service = compose.services[app];
    expect(service).toBeDefined();
    expectSameVariables('infra/compose/docker-compose.yml', app, environmentNames(service!), appEnvKeys(app));
    expect(service!.build?.args?.['APP']).toBe(app);
  });

  it('runs Tansu on in-memory storage and creates the gateway topic before the gateway starts', () => {
    const tansu = compose.services['tansu']!;
    expect(String(tansu.command)).toMatch(/--storage-engine=memory:\/\//);
    const gateway = compose.services['audit-gateway']!;
    const topic = (gateway.environment as Record<string, string>)['KAFKA_AUDIT_TOPIC'];
    const init = compose.services['tansu-init']!;
    expect(init.command).toEqual(expect.arrayContaining(['topic', 'create', topic]));
    expect(gateway.depends_on).toEqual({ 'tansu-init': { condition: 'service_completed_successfully' } });
    expect((gateway.environment as Record<string, string>)['KAFKA_BROKERS']).toBe('tansu:9092');
  });

  it('creates the proxies bucket in MinIO before the proxies start', () => {
    const init = compose.services['minio-init']!;
    for (const app of ['pypi-proxy', 'npm-proxy']) {
      const service = compose.services[app]!;
      const bucket = (service.environment as Record<string, string>)['S3_BUCKET'];
      expect(String(init.command)).toContain(`mc mb --ignore-existing local/${bucket}`);
      expect(service.depends_on).toMatchObject({ 'minio-init': { condition: 'service_completed_successfully' } });
      expect((service.environment as Record<string, string>)['S3_ENDPOINT']).toBe('http://minio:9000');
    }
  });

  it('has no default password anywhere: every password or secret key is required (${VAR:?message})', () => {
    const text = readFileSync(COMPOSE_FILE, 'utf8');
    const defaulted = [...text.matchAll(/\$\{([A-Z0-9_]*(?:PASSWORD|SECRET)[A-Z0-9_]*):?-[^}]*\}/g)].map((m) => m[0]);
    expect(defaulted).toEqual([]);
    expect(text).toContain('${MINIO_ROOT_PASSWORD:?');
    expect(text).toContain('${REGISTRY_ADMIN_PASSWORD:?');
    expect(text).toContain('${GRAFANA_ADMIN_PASSWORD:?');
  });

  it('gives both proxies one identity store (the same STORAGE_PREFIX), sign-up off and reads authenticated by default', () => {
    const env = (app: string) => compose.services[app]!.environment as Record<string, string>;
    expect(env('pypi-proxy')['STORAGE_PREFIX']).toBe(env('npm-proxy')['STORAGE_PREFIX']);
    expect(env('npm-proxy')['NPM_ALLOW_SIGNUP']).toBe('${NPM_ALLOW_SIGNUP:-false}');
    expect(env('npm-proxy')['NPM_ANONYMOUS_READ']).toBe('${NPM_ANONYMOUS_READ:-false}');
    expect(env('pypi-proxy')['PYPI_ANONYMOUS_READ']).toBe('${PYPI_ANONYMOUS_READ:-false}');
  });

  it('publishes ports on the loopback interface only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const p of service.ports ?? []) expect(`${name} ${p}`).toMatch(new RegExp(`^${name} 127\\.0\\.0\\.1:`));
    }
  });
});
