import { AppError } from '@registry/shared-errors';
import { isValidPackageName } from './package-name';

/**
 * npm's bulk advisory request, `POST /-/npm/v1/security/advisories/bulk` (protocols §5.2): installed package
 * name → its installed versions.
 */
export type BulkAdvisoryRequest = Record<string, string[]>;

/** One advisory as the bulk endpoint answers it (`id`, `url`, `title`, `severity`, `vulnerable_versions`, ...). */
export interface BulkAdvisory {
  id: number | string;
  [field: string]: unknown;
}

/** The bulk answer: package name → its advisories (names without any are left out). */
export type BulkAdvisoryResponse = Record<string, BulkAdvisory[]>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const bad = (message: string) => new AppError('invalid_request', message);

/**
 * Reads a bulk request: an object of version lists. Names that are not valid package names are dropped (no
 * registry has them); anything else malformed is a 400.
 */
export function parseBulkAdvisoryRequest(body: unknown): BulkAdvisoryRequest {
  if (!isObject(body)) throw bad('a bulk advisory request is a JSON object of package name → versions');
  return Object.fromEntries(Object.entries(body).flatMap(([name, versions]) => {
    if (!Array.isArray(versions) || !versions.every((v) => typeof v === 'string')) throw bad(`the versions of ${name.slice(0, 214)} must be a list of strings`);
    return isValidPackageName(name) ? [[name, versions as string[]]] : [];
  }));
}

/** The request split in two: the names `sendUpstream` accepts, and the others (withheld: never sent upstream). */
export function splitBulkAdvisoryRequest(request: BulkAdvisoryRequest, sendUpstream: (name: string) => boolean): { upstream: BulkAdvisoryRequest; withheld: BulkAdvisoryRequest } {
  const entries = Object.entries(request);
  return {
    upstream: Object.fromEntries(entries.filter(([name]) => sendUpstream(name))),
    withheld: Object.fromEntries(entries.filter(([name]) => !sendUpstream(name))),
  };
}

/** The well-formed part of a bulk answer (from the upstream or the local advisory source); anything else is none. */
export function parseBulkAdvisoryResponse(body: unknown): BulkAdvisoryResponse {
  if (!isObject(body)) return {};
  return Object.fromEntries(Object.entries(body).flatMap(([name, advisories]) => {
    const valid = Array.isArray(advisories) ? advisories.filter((a): a is BulkAdvisory => isObject(a) && (typeof a['id'] === 'number' || typeof a['id'] === 'string')) : [];
    return valid.length > 0 ? [[name, valid]] : [];
  }));
}

/** Both answers in one, each advisory once per package (by id). */
export function mergeBulkAdvisories(a: BulkAdvisoryResponse, b: BulkAdvisoryResponse): BulkAdvisoryResponse {
  const merged = new Map(Object.entries(a).map(([name, list]) => [name, [...list]]));
  for (const [name, list] of Object.entries(b)) {
    const current = merged.get(name) ?? [];
    const seen = new Set(current.map((x) => String(x.id)));
    merged.set(name, [...current, ...list.filter((x) => !seen.has(String(x.id)))]);
  }
  // fromEntries defines own properties: a `__proto__` key stays data.
  return Object.fromEntries(merged);
}

/**
 * The names in a legacy audit body (`/-/npm/v1/security/audits` and `.../quick`: the project's `requires` and a
 * `dependencies` tree, each node with its own `requires` and `dependencies`).
 */
export function legacyAuditNames(body: unknown): Set<string> {
  const names = new Set<string>();
  const walk = (node: Record<string, unknown>, depth: number) => {
    if (depth > 256) throw bad('the dependency tree is too deep');
    if (isObject(node['requires'])) for (const name of Object.keys(node['requires'])) names.add(name);
    if (!isObject(node['dependencies'])) return;
    for (const [name, child] of Object.entries(node['dependencies'])) {
      names.add(name);
      if (isObject(child)) walk(child, depth + 1);
    }
  };
  if (!isObject(body)) throw bad('an audit request is a JSON object');
  walk(body, 0);
  return names;
}

/**
 * A legacy audit body with only the packages `keep` accepts, everywhere in the tree, and the project's own
 * name and version replaced: the project is no package the upstream knows, and its name is nobody else's.
 */
export function filterLegacyAuditBody(body: Record<string, unknown>, keep: (name: string) => boolean): Record<string, unknown> {
  const filterNode = (node: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = { ...node };
    if (isObject(node['requires'])) out['requires'] = Object.fromEntries(Object.entries(node['requires']).filter(([name]) => keep(name)));
    if (isObject(node['dependencies'])) {
      out['dependencies'] = Object.fromEntries(Object.entries(node['dependencies'])
        .filter(([name]) => keep(name))
        .map(([name, child]) => [name, isObject(child) ? filterNode(child) : child]));
    }
    return out;
  };
  return { ...filterNode(body), name: 'npm-audit-request', version: '0.0.0' };
}
