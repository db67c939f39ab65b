import { z } from 'zod';
import { appEnvKeys, deployableApps, zodObjectKeys } from './app-env-schemas';

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

  it('sees through pipes, refinements and defaults to the object keys', () => {
    const base = z.object({ A: z.string(), B: z.string().optional() });
    expect(zodObjectKeys(base.superRefine(() => undefined), 't')).toEqual(['A', 'B']);
    expect(zodObjectKeys(base.transform((o) => o.A).pipe(z.string()), 't')).toEqual(['A', 'B']);
    expect(zodObjectKeys(base.default({ A: 'x' }), 't')).toEqual(['A', 'B']);
    expect(() => zodObjectKeys(z.string(), 't')).toThrow(/not \(a wrapper of\) a zod object/);
  });
});
