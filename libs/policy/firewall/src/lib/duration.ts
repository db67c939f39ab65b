const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/**
 * A release age as operators write it: `3d`, `12h`, `90m`, `1w`, or bare milliseconds (`0` = off). The clients'
 * own settings use other units each (npm minutes, pnpm minutes, uv a date); one spelling here. Undefined when
 * the text is not a duration.
 */
export function parseAge(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$/i.exec(text);
  if (!match) return undefined;
  const unit = (match[2] ?? 'ms').toLowerCase();
  const ms = Number(match[1]) * (UNIT_MS[unit] ?? 1);
  return Number.isFinite(ms) ? Math.round(ms) : undefined;
}

/** The shortest exact spelling of an age, for messages (`3d`, `36h`, `90m`, `1500ms`). */
export function formatAge(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
