/** PEP 508 / simple API project name rule (protocols §1.2), case-insensitive. */
const PROJECT_NAME = /^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$/i;

/**
 * PEP 503 normalized name: lowercase, and collapse each run of "-", "_", "." into one "-".
 * Every cache key and URL uses this form; the proxy redirects other spellings to it.
 */
export function normalizeProjectName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

export function isValidProjectName(name: string): boolean {
  return PROJECT_NAME.test(name);
}
