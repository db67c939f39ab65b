// Summaries of repeated samples: the table reports the median and the spread (min-max), and every ratio is
// computed from medians, so one lucky or unlucky sample on a shared machine cannot decide a goal.

const sorted = (xs) => xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);

export function median(xs) {
  const s = sorted(xs);
  if (!s.length) return undefined;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** { median, min, max, n } of the finite numbers in xs (undefined fields when there are none). */
export function summary(xs) {
  const s = sorted(xs);
  return { median: median(s), min: s[0], max: s[s.length - 1], n: s.length };
}

