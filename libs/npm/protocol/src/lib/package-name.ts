import { builtinModules } from 'node:module';

/**
 * npm package names (protocols §3.1, validate-npm-package-name): case-sensitive, ≤ 214 chars, no leading
 * `.`/`_`, URL-safe, optionally `@scope/name`. Never lowercase a name: legacy mixed-case packages exist.
 */
const MAX_NAME_LENGTH = 214;
const SCOPED = /^@([^/@]+)\/([^/@]+)$/;

const isUrlSafePart = (part: string): boolean =>
  part.length > 0 && !part.startsWith('.') && !part.startsWith('_') && encodeURIComponent(part) === part && part.trim() === part;

/** True for names that may be read or proxied (legacy mixed case allowed). */
export function isValidPackageName(name: string): boolean {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  const scoped = SCOPED.exec(name);
  if (scoped) return isUrlSafePart(scoped[1] as string) && isUrlSafePart(scoped[2] as string);
  return !name.startsWith('@') && isUrlSafePart(name);
}

/** Names validate-npm-package-name refuses outright, and core module names it refuses for new packages. */
const FORBIDDEN_NEW_NAMES: ReadonlySet<string> = new Set(['node_modules', 'favicon.ico', ...builtinModules.filter((m) => !m.startsWith('_'))]);

/** Why a name cannot be published here, or undefined (protocols §3.1): npm's rules for new package names. */
export function newPackageNameProblem(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_NAME_LENGTH) return `a package name has 1 to ${MAX_NAME_LENGTH} characters`;
  if (name.trim() !== name) return 'a package name cannot have leading or trailing spaces';
  if (/^[._]/.test(name)) return 'a package name cannot start with a period or an underscore';
  if (name !== name.toLowerCase()) return 'new package names cannot have uppercase letters';
  if (FORBIDDEN_NEW_NAMES.has(name)) return `${name} is not a valid package name`;
  if (!isValidPackageName(name) || /[~'!()*]/.test(name)) return 'a package name may contain URL-safe characters only, optionally as @scope/name';
  return undefined;
}

/** Rules for names published here: also lowercase and without characters npm rejects for new packages. */
export const isValidNewPackageName = (name: string): boolean => newPackageNameProblem(name) === undefined;

/** `@acme` for `@acme/widget`, undefined for unscoped names. */
export function scopeOf(name: string): string | undefined {
  return SCOPED.exec(name) ? name.slice(0, name.indexOf('/')) : undefined;
}

/** `widget` for `@acme/widget`; tarball filenames carry no scope (protocols §3.5). */
export function scopelessName(name: string): string {
  const slash = name.indexOf('/');
  return name.startsWith('@') && slash > 0 ? name.slice(slash + 1) : name;
}

/** Path segment for the upstream: `@scope%2Fname` (never `%40`, protocols §3.1). */
export function upstreamPathSegment(name: string): string {
  return name.startsWith('@') ? `@${encodeURIComponent(name.slice(1))}` : encodeURIComponent(name);
}

/** Conventional tarball filename: `<scopeless>-<version without build metadata>.tgz` (protocols §3.5, §8.4). */
export function tarballFilename(name: string, version: string): string {
  return `${scopelessName(name)}-${version.replace(/\+.*$/, '')}.tgz`;
}

/** The version a conventional filename names, or undefined when the filename is not `<scopeless>-<v>.tgz`. */
export function versionFromFilename(name: string, filename: string): string | undefined {
  const prefix = `${scopelessName(name)}-`;
  if (!filename.startsWith(prefix) || !filename.endsWith('.tgz')) return undefined;
  const version = filename.slice(prefix.length, -'.tgz'.length);
  return version.length > 0 ? version : undefined;
}

/** Conventional tarball path below the registry root, with a raw `/` in scoped names (protocols §3.5). */
export function tarballPath(name: string, version: string): string {
  return `/${name}/-/${tarballFilename(name, version)}`;
}
