/**
 * PEP 440 versions, one grammar for the whole code base: uploads check and normalize them (pypi-protocol), the
 * firewall orders them for OSV `ECOSYSTEM` ranges of PyPI packages. Numbers are bigints: a normalized spelling never
 * loses digits.
 */
const VERSION = new RegExp(
  '^\\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?' +
    '(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);
const PRE_LABEL: Record<string, 'a' | 'b' | 'rc'> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
const PRE_PHASE = { a: 0, b: 1, rc: 2 } as const;

export interface Pep440Version {
  epoch: bigint;
  release: bigint[];
  pre: { label: 'a' | 'b' | 'rc'; n: bigint } | undefined;
  post: bigint | undefined;
  dev: bigint | undefined;
  /** Lowercased segments of the local label (`ubuntu-1` → `['ubuntu', '1']`). */
  local: string[];
}

const num = (digits: string | undefined): bigint => BigInt(digits ?? '0');

/** The parts of a PEP 440 version, or undefined when `text` is not one. */
export function parsePep440(text: string): Pep440Version | undefined {
  const g = VERSION.exec(text)?.groups;
  if (g === undefined) return undefined;
  return {
    epoch: num(g['epoch']),
    release: (g['release'] as string).split('.').map((d) => BigInt(d)),
    pre: g['pre'] === undefined ? undefined : { label: PRE_LABEL[(g['preL'] as string).toLowerCase()] as 'a' | 'b' | 'rc', n: num(g['preN']) },
    post: g['post'] === undefined ? undefined : num(g['postN1'] ?? g['postN2']),
    dev: g['dev'] === undefined ? undefined : num(g['devN']),
    local: g['local'] === undefined ? [] : (g['local'] as string).toLowerCase().split(/[-_.]/),
  };
}

/**
 * The normalized spelling ("Normalization" section of the spec), e.g. `1.0-1` → `1.0.post1`, `1.0ALPHA2` →
 * `1.0a2`, `v1.0` → `1.0`; undefined when `version` is not PEP 440. Trailing zeros stay (`1.0` and `1.0.0` are
 * equal versions but not one spelling), as in `packaging`.
 */
export function normalizePep440Version(version: string): string | undefined {
  const v = parsePep440(version);
  if (v === undefined) return undefined;
  let out = v.epoch !== 0n ? `${v.epoch}!` : '';
  out += v.release.join('.');
  if (v.pre) out += `${v.pre.label}${v.pre.n}`;
  if (v.post !== undefined) out += `.post${v.post}`;
  if (v.dev !== undefined) out += `.dev${v.dev}`;
  if (v.local.length > 0) out += `+${v.local.join('.')}`;
  return out;
}

/** True when the two strings are one PEP 440 version (normalized); non-PEP 440 strings only equal themselves. */
export function sameVersion(a: string, b: string): boolean {
  const left = normalizePep440Version(a);
  return left === undefined ? a === b : left === normalizePep440Version(b);
}

const cmp = (a: bigint | number, b: bigint | number): number => (a < b ? -1 : a > b ? 1 : 0);

function compareRelease(a: bigint[], b: bigint[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = cmp(a[i] ?? 0n, b[i] ?? 0n);
    if (c !== 0) return c;
  }
  return 0;
}

/** A dev release of a final sorts before its pre-releases; a pre sorts before the final; post after. */
function preKey(v: Pep440Version): [number, bigint] {
  if (v.pre) return [PRE_PHASE[v.pre.label], v.pre.n];
  if (v.dev !== undefined && v.post === undefined) return [-1, 0n];
  return [3, 0n];
}

/** Local labels: numeric segments above alphanumeric ones, numbers by value, a longer label after its prefix. */
function compareLocal(a: string[], b: string[]): number {
  const isNum = (s: string) => /^[0-9]+$/.test(s);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (isNum(x) && isNum(y)) {
      const c = cmp(BigInt(x), BigInt(y));
      if (c !== 0) return c;
    } else if (isNum(x)) return 1;
    else if (isNum(y)) return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** PEP 440 order of two versions; undefined when either is not a PEP 440 version. */
export function comparePep440(left: string, right: string): number | undefined {
  const a = parsePep440(left);
  const b = parsePep440(right);
  if (!a || !b) return undefined;
  const [apre, bpre] = [preKey(a), preKey(b)];
  const none = -1n;
  return cmp(a.epoch, b.epoch) || compareRelease(a.release, b.release) || cmp(apre[0], bpre[0]) || cmp(apre[1], bpre[1])
    || cmp(a.post ?? none, b.post ?? none) || compareDev(a.dev, b.dev) || compareLocal(a.local, b.local);
}

/** No dev part sorts after any dev release. */
const compareDev = (a: bigint | undefined, b: bigint | undefined): number =>
  a === b ? 0 : a === undefined ? 1 : b === undefined ? -1 : cmp(a, b);
