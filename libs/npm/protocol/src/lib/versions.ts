import semver from 'semver';
import { isPrototypeKey } from '@registry/shared-util';

/** A version npm accepts for publishing: valid semver, already cleaned by the client (protocols §4.2). */
export const isValidVersion = (v: string): boolean => semver.valid(v) === v;

/** Highest version by npm's loose comparison, the way npm recomputes `latest` after an unpublish (protocols §4.4). */
export function highestVersion(versions: readonly string[]): string | undefined {
  const valid = versions.filter((v) => semver.valid(v, { loose: true }));
  const stable = valid.filter((v) => !semver.prerelease(v, { loose: true }));
  const pool = stable.length > 0 ? stable : valid;
  return pool.sort((a, b) => semver.compareLoose(b, a))[0];
}

const MAX_TAG_LENGTH = 128;

/**
 * Why a dist-tag name is refused, or undefined (protocols §4.5): npm's rules (not a valid semver range, else
 * `npm install x@tag` is ambiguous; URL-safe, since it is a path segment) plus ours: not empty, at most 128
 * characters, and not a member of `Object.prototype` (`toString`, `__proto__`: protocols §16).
 */
export function distTagProblem(tag: string): string | undefined {
  if (tag.length === 0 || tag.length > MAX_TAG_LENGTH) return `a dist-tag has 1 to ${MAX_TAG_LENGTH} characters`;
  if (encodeURIComponent(tag) !== tag) return 'a dist-tag may contain URL-safe characters only';
  if (semver.validRange(tag) !== null) return 'a dist-tag cannot be a valid semver range';
  if (isPrototypeKey(tag)) return `${tag} is reserved`;
  return undefined;
}

export const isValidDistTag = (tag: string): boolean => distTagProblem(tag) === undefined;
