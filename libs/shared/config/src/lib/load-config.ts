import { z } from 'zod';

/** Thrown when the environment does not satisfy the app's schema; the message names each variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses the environment once with the app's zod schema (style §3.6): fail fast at start-up,
 * naming each bad variable, and hand back a frozen object. Empty strings count as unset, so
 * `FOO=` in a compose file means "use the default".
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): Readonly<z.infer<S>> {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

/**
 * Redacts values of keys that look secret, and credentials inside URLs (an upstream configured as
 * `https://user:token@host/`), for a start-up summary log line.
 */
export function redactConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => {
      if (/SECRET|PASSWORD|TOKEN|KEY_ID|CREDENTIAL/i.test(k) && v !== undefined) return [k, '[redacted]'];
      if (typeof v === 'string') return [k, v.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1[redacted]@')];
      return [k, v];
    }),
  );
}
