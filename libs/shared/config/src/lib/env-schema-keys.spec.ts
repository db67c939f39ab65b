import { z } from 'zod';
import { envSchemaKeys } from './env-schema-keys';
import { StorageEnv, requireS3Settings } from './common-env';

describe('envSchemaKeys', () => {
  it('sees through pipes, refinements, extensions and defaults to the object keys', () => {
    const base = z.object({ A: z.string(), B: z.string().optional() });
    expect(envSchemaKeys(base.superRefine(() => undefined))).toEqual(['A', 'B']);
    expect(envSchemaKeys(base.transform((o) => o.A).pipe(z.string()))).toEqual(['A', 'B']);
    expect(envSchemaKeys(base.default({ A: 'x' }))).toEqual(['A', 'B']);
    expect(envSchemaKeys(StorageEnv.extend({ PORT: z.string() }).superRefine(requireS3Settings))).toContain('PORT');
  });

  it('refuses what is not an object schema', () => {
    expect(() => envSchemaKeys(z.string())).toThrow(/not \(a wrapper of\) a zod object/);
    expect(() => envSchemaKeys({})).toThrow(/not \(a wrapper of\) a zod object/);
  });
});
