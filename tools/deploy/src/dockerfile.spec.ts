import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DOCKERFILE, REPO_ROOT, run, tool } from './tools';

// infra/docker/Dockerfile: hadolint-clean, and the properties the issue asks for, read from the file itself
// (no Docker engine here to build it). The HEALTHCHECK script is exercised for real against a local server.
const text = readFileSync(DOCKERFILE, 'utf8');
const instructions = text
  .replace(/\\\n/g, ' ')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'));
const stages = instructions.reduce<string[][]>((acc, line) => (line.startsWith('FROM ') ? [...acc, [line]] : (acc.at(-1)?.push(line), acc)), []);
const runtime = stages.at(-1) ?? [];

describe('Dockerfile', () => {
  it('passes hadolint', () => {
    const r = run(tool('HADOLINT'), ['--no-color', DOCKERFILE]);
    expect({ code: r.code, findings: r.stdout + r.stderr }).toEqual({ code: 0, findings: '' });
  });

  it('is multi-stage: the runtime stage copies only built output and production dependencies', () => {
    expect(stages.length).toBeGreaterThanOrEqual(3);
    expect(instructions).toEqual(expect.arrayContaining([expect.stringMatching(/^RUN npm ci$/)]));
    expect(instructions.some((l) => /npm ci --omit=dev/.test(l))).toBe(true);
    expect(runtime.filter((l) => /^RUN .*npm (ci|install)/.test(l))).toEqual([]);
    expect(runtime.filter((l) => l.startsWith('COPY ') && !/--from=|healthcheck\.cjs/.test(l))).toEqual([]);
  });

  it('builds the app named by --build-arg APP with the Nx build target', () => {
    expect(instructions).toContain('ARG APP');
    expect(text).toMatch(/npx nx run "\$APP:build"/);
    expect(runtime.join('\n')).toMatch(/COPY --from=build .*\/src\/dist\/apps\/\$\{APP\}\/ \.\/dist\/app\//);
  });

  it('runs as a numeric non-root user, with a node HEALTHCHECK and an exec-form CMD', () => {
    const user = runtime.find((l) => l.startsWith('USER '));
    expect(user).toMatch(/^USER [1-9]\d*(:\d+)?$/);
    expect(runtime.find((l) => l.startsWith('HEALTHCHECK '))).toMatch(/CMD \["node", "\/app\/healthcheck\.cjs"\]/);
    expect(runtime.at(-1)).toBe('CMD ["node", "--enable-source-maps", "dist/app/main.js"]');
    expect(runtime.find((l) => l.startsWith('ENV '))).toMatch(/HOST=0\.0\.0\.0/);
  });

  it('exposes every service port (the config defaults)', () => {
    const exposed = runtime.find((l) => l.startsWith('EXPOSE '))!.split(/\s+/).slice(1);
    expect(exposed.sort()).toEqual(['50051', '8081', '8082', '8083']);
  });

  it('keeps installed and generated trees out of the build context', () => {
    const ignore = readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignore).toEqual(expect.arrayContaining(['**/node_modules', 'dist', '.git', '.services']));
  });
});

describe('healthcheck.cjs', () => {
  const script = path.join(REPO_ROOT, 'infra', 'docker', 'healthcheck.cjs');
  let server: Server;
  let status = 200;
  let port = 0;
  const paths: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      paths.push(req.url ?? '');
      res.writeHead(status).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const check = (env: Record<string, string>) =>
    new Promise<number>((resolve) => {
      execFile(process.execPath, [script], { env: { PATH: process.env['PATH'] ?? '', ...env } }, (err) => resolve(err ? ((err as { code?: number }).code ?? 1) : 0));
    });

  it('exits 0 when GET /-/health answers 200 on the app port variable', async () => {
    status = 200;
    await expect(check({ APP: 'npm-proxy', NPM_PROXY_PORT: String(port) })).resolves.toBe(0);
    await expect(check({ APP: 'audit-gateway', AUDIT_GATEWAY_HTTP_PORT: String(port) })).resolves.toBe(0);
    expect(paths.at(-1)).toBe('/-/health');
  });

  it('exits 1 when the service answers anything else', async () => {
    status = 503;
    await expect(check({ APP: 'pypi-proxy', PYPI_PROXY_PORT: String(port) })).resolves.toBe(1);
  });

  it('exits 1 when nothing listens, and for an unknown APP', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(check({ APP: 'pypi-proxy', PYPI_PROXY_PORT: String(freePort) })).resolves.toBe(1);
    await expect(check({ APP: 'nope' })).resolves.toBe(1);
  });
});
