/**
 * PEP 440 version ordering, for OSV `ECOSYSTEM` ranges of PyPI packages (OSV says: compare as the ecosystem
 * does). Epoch, release (trailing zeros ignored), pre (a < b < rc), post, dev, local. Undefined for a version
 * that is not PEP 440 (OSV then matches it only through an explicit `versions` list).
 */
interface Pep440 {
  epoch: number;
  release: number[];
  /** [phase 0|1|2, n]; undefined = final. */
  pre: [number, number] | undefined;
  post: number | undefined;
  dev: number | undefined;
  local: Array<number | string>;
}

const VERSION_RE = /^v?(?:(\d+)!)?(\d+(?:\.\d+)*)(?:[-_.]?(a|alpha|b|beta|rc|c|pre|preview)[-_.]?(\d*))?(?:-(\d+)|[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?(dev)[-_.]?(\d*))?(?:\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?$/;
const PRE_PHASE: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, rc: 2, c: 2, pre: 2, preview: 2 };

export function parsePep440(text: string): Pep440 | undefined {
  const m = VERSION_RE.exec(text.trim().toLowerCase());
  if (!m) return undefined;
  const num = (s: string | undefined) => (s === undefined || s === '' ? 0 : Number(s));
  return {
    epoch: num(m[1]),
    release: (m[2] as string).split('.').map(Number),
    pre: m[3] ? [PRE_PHASE[m[3]] as number, num(m[4])] : undefined,
    post: m[5] !== undefined ? Number(m[5]) : m[6] ? num(m[7]) : undefined,
    dev: m[8] ? num(m[9]) : undefined,
    local: m[10] ? m[10].split(/[-_.]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [],
  };
}

const cmp = (a: number, b: number): number => (a < b ? -1 : a > b ? 1 : 0);

function compareRelease(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = cmp(a[i] ?? 0, b[i] ?? 0);
    if (c !== 0) return c;
  }
  return 0;
}

/** A dev release of a final sorts before its pre-releases; a pre sorts before the final; post after. */
function preKey(v: Pep440): [number, number] {
  if (v.pre) return [v.pre[0], v.pre[1]];
  if (v.dev !== undefined && v.post === undefined) return [-1, 0];
  return [3, 0];
}

function compareLocal(a: Array<number | string>, b: Array<number | string>): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === 'number' && typeof y === 'number') {
      if (x !== y) return cmp(x, y);
    } else if (typeof x === 'number') return 1;
    else if (typeof y === 'number') return -1;
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
  return cmp(a.epoch, b.epoch) || compareRelease(a.release, b.release) || cmp(apre[0], bpre[0]) || cmp(apre[1], bpre[1])
    || cmp(a.post ?? -1, b.post ?? -1) || cmp(a.dev ?? Infinity, b.dev ?? Infinity) || compareLocal(a.local, b.local);
}
