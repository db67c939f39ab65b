/**
 * Normalizes an incoming npm request path so a scoped name is one path segment before routing
 * (protocols §3.1, the Verdaccio approach; §8.1, §8.3):
 *  - collapse duplicate slashes;
 *  - `/%40scope…` → `/@scope…` (case-insensitive);
 *  - `/@scope/name/…` and `/-/package/@scope/name/…` → `/@scope%2Fname/…`, but not when the scope is the
 *    last segment. Decoding `%2f`/`%2F` (case-insensitive) is left to the router's parameter decoding.
 * The query string is kept as it is.
 */
export function normalizeNpmPath(url: string): string {
  const q = url.indexOf('?');
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  const query = q >= 0 ? url.slice(q) : '';
  let path = rawPath.replace(/\/{2,}/g, '/');
  path = path.replace(/^\/%40/i, '/@').replace(/^\/-\/package\/%40/i, '/-/package/@');
  // Scopes never contain `%`, so an already-encoded `@scope%2fname` is left alone.
  path = path.replace(/^(\/(?:-\/package\/)?@[^/%]+)\/(?=[^/])/, '$1%2F');
  return path + query;
}
