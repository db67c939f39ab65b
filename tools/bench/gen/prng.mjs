// Deterministic pseudo-random numbers for the generators (mulberry32), so a data set is the same on every
// machine and its cache key (a hash of the generator sources) really names its content.

/** @returns {() => number} uniform in [0, 1) */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const intBetween = (rand, lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
export const pick = (rand, list) => list[Math.floor(rand() * list.length)];

/** Log-normal integer around `median` (sigma in natural-log units), clamped to [min, max]. */
export function logNormal(rand, median, sigma, min, max) {
  const gauss = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return Math.max(min, Math.min(max, Math.round(median * Math.exp(sigma * gauss))));
}

const WORDS = ['const', 'return', 'function', 'value', 'options', 'module', 'exports', 'require', 'default', 'length',
  'result', 'config', 'buffer', 'string', 'object', 'error', 'handler', 'callback', 'promise', 'resolve', 'index', 'parse'];

/** About `bytes` of source-like text (compresses like real JavaScript or Python, unlike random bytes). */
export function codeLike(rand, bytes) {
  const lines = [];
  let size = 0;
  while (size < bytes) {
    const line = `${'  '.repeat(intBetween(rand, 0, 3))}${Array.from({ length: intBetween(rand, 3, 9) }, () => pick(rand, WORDS)).join(' ')}${intBetween(rand, 0, 9999)};`;
    lines.push(line);
    size += line.length + 1;
  }
  return Buffer.from(lines.join('\n').slice(0, bytes));
}
