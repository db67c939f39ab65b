import semver from 'semver';

/** A version npm accepts for publishing: valid semver, already cleaned by the client (protocols §4.2). */
export const isValidVersion = (v: string): boolean => semver.valid(v) === v;

/** Highest version by npm's loose comparison, the way npm recomputes `latest` after an unpublish (protocols §4.4). */
export function highestVersion(versions: readonly string[]): string | undefined {
  const valid = versions.filter((v) => semver.valid(v, { loose: true }));
  const stable = valid.filter((v) => !semver.prerelease(v, { loose: true }));
  const pool = stable.length > 0 ? stable : valid;
  return pool.sort((a, b) => semver.compareLoose(b, a))[0];
}

/** Tag names must not parse as a semver range, else `npm install x@tag` becomes ambiguous (protocols §4.5). */
export const isValidDistTag = (tag: string): boolean =>
  tag.length > 0 && tag.length <= 128 && encodeURIComponent(tag) === tag && semver.validRange(tag) === null;
