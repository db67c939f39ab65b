import { describeUpstream, upstreamFromClientConfig, type RunClient } from './client-upstreams';

/** A machine whose clients answer from a table: `command args...` -> stdout (undefined = not installed). */
const machine = (answers: Record<string, string | undefined>): RunClient & { calls: string[] } => {
  const calls: string[] = [];
  const run = ((command: string, args: string[]) => {
    const key = [command, ...args].join(' ');
    calls.push(key);
    return answers[key];
  }) as RunClient & { calls: string[] };
  run.calls = calls;
  return run;
};
const NPM = 'npm config get registry';
const PIP_LIST = 'python3 -m pip config list';
const PIP_DEFAULT = (cmd: string) => cmd.startsWith('python3 -c ');

describe('upstreamFromClientConfig', () => {
  it('never asks a client when the variable is set or the opt-in is off (deployed configurations never guess)', () => {
    const run = machine({ [NPM]: 'http://mirror.test/npm/' });
    expect(upstreamFromClientConfig('npm', { NPM_UPSTREAM_URL: 'http://up.test' }, run).origin).toEqual({ url: 'http://up.test', source: 'NPM_UPSTREAM_URL' });
    const off = upstreamFromClientConfig('npm', {}, run);
    expect(off.origin.url).toBeUndefined();
    expect(off.origin.source).toMatch(/UPSTREAM_FROM_CLIENT_CONFIG is off: private-only/);
    expect(off.env['NPM_UPSTREAM_URL']).toBeUndefined();
    expect(run.calls).toEqual([]);
  });

  it("npm: takes the machine's npm registry when opted in", () => {
    const { env, origin } = upstreamFromClientConfig('npm', { UPSTREAM_FROM_CLIENT_CONFIG: 'true' }, machine({ [NPM]: 'http://mirror.test/npm/' }));
    expect(env['NPM_UPSTREAM_URL']).toBe('http://mirror.test/npm');
    expect(origin.source).toBe("this machine's npm configuration (npm config get registry), because UPSTREAM_FROM_CLIENT_CONFIG=true");
  });

  it('npm: without npm, or with a registry that is no http URL, runs private-only and says why', () => {
    expect(upstreamFromClientConfig('npm', { UPSTREAM_FROM_CLIENT_CONFIG: '1' }, machine({})).origin).toEqual({ url: undefined, source: 'npm is not on PATH: private-only' });
    const odd = upstreamFromClientConfig('npm', { UPSTREAM_FROM_CLIENT_CONFIG: 'yes' }, machine({ [NPM]: 'file:///srv/npm' }));
    expect(odd.origin.url).toBeUndefined();
    expect(odd.env['NPM_UPSTREAM_URL']).toBeUndefined();
  });

  it('never loops back: a client configured to use this very proxy is ignored', () => {
    const self = upstreamFromClientConfig('npm', { UPSTREAM_FROM_CLIENT_CONFIG: 'true', NPM_PROXY_PORT: '9999' }, machine({ [NPM]: 'http://127.0.0.1:9999/' }));
    expect(self.origin.url).toBeUndefined();
    expect(self.origin.source).toMatch(/points at this proxy itself/);
    const other = upstreamFromClientConfig('npm', { UPSTREAM_FROM_CLIENT_CONFIG: 'true' }, machine({ [NPM]: 'http://127.0.0.1:9999/' }));
    expect(other.origin.url).toBe('http://127.0.0.1:9999');
  });

  it("pypi: pip's own precedence: PIP_INDEX_URL, then [install], then [global]", () => {
    const list = ["global.index-url='http://global.test/simple'", "install.index-url='http://install.test/simple'", ":env:.index-url='http://env.test/simple'"].join('\n');
    const { env, origin } = upstreamFromClientConfig('pypi', { UPSTREAM_FROM_CLIENT_CONFIG: 'true' }, machine({ [PIP_LIST]: list }));
    expect(env['PYPI_UPSTREAM_URL']).toBe('http://env.test/simple');
    expect(env['PYPI_UPSTREAM_FILES_URL']).toBeUndefined();
    expect(origin.source).toMatch(/pip configuration \(:env:\.index-url\)/);
    const global = upstreamFromClientConfig('pypi', { UPSTREAM_FROM_CLIENT_CONFIG: 'true' }, machine({ [PIP_LIST]: "global.cert='/x'\nglobal.index-url='http://global.test/simple'" }));
    expect(global.env['PYPI_UPSTREAM_URL']).toBe('http://global.test/simple');
  });

  it("pypi: with no index-url configured, pip's built-in default index and file host", () => {
    const run = machine({ [PIP_LIST]: "global.cert='/x'" });
    const withDefault: RunClient = (cmd, args) => (PIP_DEFAULT([cmd, ...args].join(' ')) ? 'https://index.test/simple\nhttps://files.test' : run(cmd, args));
    const { env, origin } = upstreamFromClientConfig('pypi', { UPSTREAM_FROM_CLIENT_CONFIG: 'true' }, withDefault);
    expect(env['PYPI_UPSTREAM_URL']).toBe('https://index.test/simple');
    expect(env['PYPI_UPSTREAM_FILES_URL']).toBe('https://files.test');
    expect(origin.source).toMatch(/^pip's built-in default index/);
    const keep = upstreamFromClientConfig('pypi', { UPSTREAM_FROM_CLIENT_CONFIG: 'true', PYPI_UPSTREAM_FILES_URL: 'https://mine.test' }, withDefault);
    expect(keep.env['PYPI_UPSTREAM_FILES_URL']).toBe('https://mine.test');
  });

  it('pypi: without pip, private-only', () => {
    expect(upstreamFromClientConfig('pypi', { UPSTREAM_FROM_CLIENT_CONFIG: 'true', PYTHON: 'python9' }, machine({})).origin.source).toMatch(/pip is not available \(python9 -m pip\)/);
  });

  it('describes the upstream without credentials', () => {
    expect(describeUpstream({ url: 'https://bot:hunter2@mirror.test/npm', source: 'NPM_UPSTREAM_URL' })).toBe('upstream https://[redacted]@mirror.test/npm (from NPM_UPSTREAM_URL)');
    expect(describeUpstream({ url: 'https://i.test/simple', filesUrl: 'https://f.test', source: 'x' })).toBe('upstream https://i.test/simple, files from https://f.test (from x)');
    expect(describeUpstream({ url: undefined, source: 'y' })).toBe('no upstream (y)');
  });
});
