/** The parts of a zod 4 schema's internals this walk needs. */
interface ZodLike {
  shape?: Record<string, unknown>;
  _zod?: { def?: { in?: unknown; innerType?: unknown; schema?: unknown; shape?: Record<string, unknown> } };
}

/**
 * The variable names an app's env schema accepts: the keys of the zod object inside it, seen through
 * pipes, refinements and wrappers. The README table and the compose/Helm checks both read them here.
 */
export function envSchemaKeys(schema: unknown): string[] {
  let current = schema as ZodLike | undefined;
  for (let depth = 0; current && depth < 16; depth++) {
    const shape = current.shape ?? current._zod?.def?.shape;
    if (shape && typeof shape === 'object') return Object.keys(shape);
    const def = current._zod?.def;
    current = (def?.in ?? def?.innerType ?? def?.schema) as ZodLike | undefined;
  }
  throw new Error('not (a wrapper of) a zod object schema: cannot list its variables');
}
