import { appEnvKeys, deployableApps } from './app-env-schemas';

// The reader itself must be right, or the contract checks below would compare against nothing.
describe('appEnvKeys', () => {
  it('finds the three deployable services', () => {
    expect(deployableApps()).toEqual(expect.arrayContaining(['audit-gateway', 'npm-proxy', 'pypi-proxy']));
  });

  it('reads keys through refinements and extensions (pypi-proxy: StorageEnv.extend(...).superRefine)', () => {
    const keys = appEnvKeys('pypi-proxy');
    expect(keys).toEqual(expect.arrayContaining(['PYPI_PROXY_PORT', 'S3_BUCKET', 'STORAGE_DRIVER', 'TRUST_PROXY']));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads every key of each app schema, and they all look like environment variable names', () => {
    for (const app of deployableApps()) {
      const keys = appEnvKeys(app);
      expect(keys.length).toBeGreaterThan(2);
      for (const key of keys) expect(key).toMatch(/^[A-Z][A-Z0-9_]*$/);
    }
  });

  it('fails clearly for an app without a schema', () => {
    expect(() => appEnvKeys('no-such-app')).toThrow(/no config schema/);
  });

});
