/**
 * PEP 440 normalization ("Normalization" section of the version specifiers spec): the canonical spelling two
 * versions share when they are the same version, e.g. `1.0-1` → `1.0.post1`, `1.0ALPHA2` → `1.0a2`, `v1.0` →
 * `1.0`. Trailing zeros stay (`1.0` and `1.0.0` are equal versions but not one spelling), as in `packaging`.
 */
const VERSION = new RegExp(
  '^\\s*v?(?:(?<epoch>[0-9]+)!)?(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|beta|preview|pre|rc|a|b|c)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>-(?<postN1>[0-9]+)|[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?)?' +
    '(?<dev>[-_.]?dev[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*$',
  'i',
);
const PRE_LABEL: Record<string, string> = { alpha: 'a', a: 'a', beta: 'b', b: 'b', c: 'rc', rc: 'rc', pre: 'rc', preview: 'rc' };
const num = (digits: string | undefined): string => String(BigInt(digits ?? '0'));

/** The normalized form of a PEP 440 version, or undefined when `version` is not one. */
export function normalizePep440Version(version: string): string | undefined {
  const g = VERSION.exec(version)?.groups;
  if (g === undefined) return undefined;
  let out = g['epoch'] !== undefined && num(g['epoch']) !== '0' ? `${num(g['epoch'])}!` : '';
  out += (g['release'] as string).split('.').map(num).join('.');
  if (g['pre'] !== undefined) out += `${PRE_LABEL[(g['preL'] as string).toLowerCase()]}${num(g['preN'])}`;
  if (g['post'] !== undefined) out += `.post${num(g['postN1'] ?? g['postN2'])}`;
  if (g['dev'] !== undefined) out += `.dev${num(g['devN'])}`;
  if (g['local'] !== undefined) out += `+${(g['local'] as string).toLowerCase().replace(/[-_]/g, '.')}`;
  return out;
}

/** True when the two strings are one PEP 440 version (normalized); non-PEP 440 strings only equal themselves. */
export function sameVersion(a: string, b: string): boolean {
  const left = normalizePep440Version(a);
  return left === undefined ? a === b : left === normalizePep440Version(b);
}
