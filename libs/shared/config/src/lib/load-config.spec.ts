import { z } from 'zod';
import { ConfigError, loadConfig, redactConfig, renamedVariablesInUse, secondsToMs } from './load-config';
import { StorageEnv, envBoolean, httpUrl, port, requireS3Settings } from './common-env';

const Schema = StorageEnv.extend({ PORT: port.default(8080), UPSTREAM: httpUrl.optional(), FLAG: envBoolean.default(false) }).superRefine(requireS3Settings);

describe('loadConfig', () => {
  it('applies defaults and returns a frozen object', () => {
    const cfg = loadConfig(Schema, {});
    expect(cfg.PORT).toBe(8080);
    expect(cfg.STORAGE_DRIVER).toBe('fs');
    expect(cfg.DATA_DIR).toBe('./data');
    expect(Object.isFrozen(cfg)).toBe(true);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig(Schema, { PORT: '', UPSTREAM: '' }).PORT).toBe(8080);
  });

  it('names every bad variable', () => {
    expect(() => loadConfig(Schema, { PORT: 'eighty', UPSTREAM: 'ftp://x' })).toThrow(ConfigError);
    try {
      loadConfig(Schema, { PORT: 'eighty', UPSTREAM: 'ftp://x', STORAGE_DRIVER: 'disk' });
    } catch (err) {
      const msg = (err as Error).message;
      expect(msg).toContain('PORT');
      expect(msg).toContain('UPSTREAM');
      expect(msg).toContain('STORAGE_DRIVER');
    }
  });

  it('rejects illegal combinations: s3 without a bucket', () => {
    expect(() => loadConfig(Schema, { STORAGE_DRIVER: 's3' })).toThrow(/S3_BUCKET/);
    expect(loadConfig(Schema, { STORAGE_DRIVER: 's3', S3_BUCKET: 'b' }).S3_BUCKET).toBe('b');
  });

  it('reads booleans as words, not as truthy strings', () => {
    expect(loadConfig(Schema, { FLAG: 'false' }).FLAG).toBe(false);
    expect(loadConfig(Schema, { FLAG: 'true' }).FLAG).toBe(true);
    expect(() => loadConfig(Schema, { FLAG: 'maybe' })).toThrow(/FLAG/);
  });

  it('strips the trailing slash of URLs', () => {
    expect(loadConfig(Schema, { UPSTREAM: 'http://127.0.0.1:9/simple/' }).UPSTREAM).toBe('http://127.0.0.1:9/simple');
  });

  it('redacts secrets in the summary', () => {
    const summary = redactConfig({ S3_SECRET_ACCESS_KEY: 'shh', S3_ACCESS_KEY_ID: 'id', REGISTRY_ADMIN_PASSWORD: 'pw', PORT: 1 });
    expect(JSON.stringify(summary)).not.toMatch(/shh|"id"|pw/);
    expect(summary['PORT']).toBe(1);
  });

  it('redacts credentials embedded in URLs', () => {
    const summary = redactConfig({ NPM_UPSTREAM_URL: 'https://bot:hunter2@mirror.example.com/npm/' });
    expect(summary['NPM_UPSTREAM_URL']).toBe('https://[redacted]@mirror.example.com/npm/');
  });

  it('reads a renamed variable under its old name, converted, unless the new name is set', () => {
    const renamed = [{ from: 'TTL_SECONDS', to: 'TTL_MS', convert: secondsToMs }, { from: 'OLD_FLAG', to: 'FLAG' }];
    const schema = z.object({ TTL_MS: z.coerce.number().default(5), FLAG: envBoolean.default(false) });
    expect(loadConfig(schema, { TTL_SECONDS: '30', OLD_FLAG: 'true' }, { renamed })).toEqual({ TTL_MS: 30_000, FLAG: true });
    expect(loadConfig(schema, { TTL_SECONDS: '30', TTL_MS: '7' }, { renamed }).TTL_MS).toBe(7);
    expect(() => loadConfig(schema, { TTL_SECONDS: 'soon' }, { renamed })).toThrow(/TTL_MS/);
    expect(renamedVariablesInUse(renamed, { TTL_SECONDS: '30', TTL_MS: '7' })).toEqual(['TTL_SECONDS is deprecated: set TTL_MS instead (note the unit); TTL_MS is set and wins']);
    expect(renamedVariablesInUse(renamed, {})).toEqual([]);
  });

  it('accepts any zod schema', () => {
    expect(loadConfig(z.object({ A: z.string() }), { A: 'x' })).toEqual({ A: 'x' });
  });
});
