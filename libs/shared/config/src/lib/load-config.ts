import { z } from 'zod';

/** Thrown when the environment does not satisfy the app's schema; the message names each variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** A variable that was renamed: the old name still works (converted, e.g. seconds to ms) with a warning. */
export interface RenamedVariable {
  from: string;
  to: string;
  /** Converts an old value to the new unit; default: unchanged. */
  convert?: (value: string) => string;
}

/** `X_SECONDS` became `X_MS`: the old value times 1000 (non-numbers pass through, so the schema names them). */
export const secondsToMs = (value: string): string => (/^\d+$/.test(value.trim()) ? String(Number(value) * 1000) : value);

export interface LoadConfigOptions {
  renamed?: readonly RenamedVariable[];
}

/**
 * Parses the environment once with the app's zod schema: fail fast at start-up, naming each bad variable, and
 * hand back a frozen object. Empty strings count as unset, so `FOO=` in a compose file means "use the default".
 * A renamed variable set under its old name (and not under the new) is read as the new one; see
 * `renamedVariablesInUse` for the warning to log.
 */
export function loadConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env, opts: LoadConfigOptions = {}): Readonly<z.infer<S>> {
  const cleaned: Record<string, string> = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
  for (const { from, to, convert } of opts.renamed ?? []) {
    const old = cleaned[from];
    delete cleaned[from];
    if (old !== undefined && cleaned[to] === undefined) cleaned[to] = convert ? convert(old) : old;
  }
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return Object.freeze(result.data);
}

/** One deprecation warning per renamed variable still set under its old name. */
export function renamedVariablesInUse(renamed: readonly RenamedVariable[], env: NodeJS.ProcessEnv = process.env): string[] {
  return renamed
    .filter(({ from }) => env[from] !== undefined && env[from] !== '')
    .map(({ from, to, convert }) => `${from} is deprecated: set ${to} instead${convert ? ' (note the unit)' : ''}${env[to] ? `; ${to} is set and wins` : ''}`);
}

/**
 * Redacts values of keys that look secret, and credentials inside URLs (an upstream configured as
 * `https://user:token@host/`), for a start-up summary log line.
 */
export function redactConfig(config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(config).map(([k, v]) => {
      if (/SECRET|PASSWORD|TOKEN|KEY_ID|CREDENTIAL|SIGNING_KEY/i.test(k) && v !== undefined) return [k, '[redacted]'];
      if (typeof v === 'string') return [k, v.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/i, '$1[redacted]@')];
      return [k, v];
    }),
  );
}
