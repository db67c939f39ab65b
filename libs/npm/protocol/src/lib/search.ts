import type { Packument, Person } from './packument';
import { ownValue } from '@registry/shared-util';
import { scopeOf } from './package-name';

/** One `objects[]` entry of `GET /-/v1/search` (protocols §5.1); `maintainers` is always an array (protocols §8.24). */
export interface SearchObject {
  package: {
    name: string;
    scope: string;
    version: string;
    description: string;
    keywords: string[];
    date: string;
    links: Record<string, string>;
    publisher?: { username: string; email: string };
    maintainers: Array<{ username: string; email: string }>;
  };
  score: { final: number; detail: { quality: number; popularity: number; maintenance: number } };
  searchScore: number;
}

export interface SearchResponse {
  objects: SearchObject[];
  total: number;
  time: string;
}

const toUser = (p: Person) => ({ username: p.name, email: p.email ?? '' });

/** Plain substring match on name, description and keywords: the subset a private registry supports (protocols §5.1). */
export function matchesSearchText(doc: Packument, text: string): boolean {
  const latest = ownValue(doc.versions, ownValue(doc['dist-tags'], 'latest') ?? '');
  return matchesWords([doc.name, latest?.['description'], ...(Array.isArray(latest?.['keywords']) ? latest['keywords'] : [])], text);
}

/** The same match on a search hit (its name, description and keywords are the latest version's). */
export const matchesSearchObject = (hit: SearchObject, text: string): boolean =>
  matchesWords([hit.package.name, hit.package.description, ...(Array.isArray(hit.package.keywords) ? hit.package.keywords : [])], text);

function matchesWords(fields: unknown[], text: string): boolean {
  const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 0 && !w.includes(':'));
  const haystack = fields.filter((s): s is string => typeof s === 'string').join(' ').toLowerCase();
  return words.every((w) => haystack.includes(w));
}

export function toSearchObject(doc: Packument): SearchObject | undefined {
  const version = doc['dist-tags']['latest'];
  const latest = doc.versions[version ?? ''];
  if (!version || !latest) return undefined;
  const maintainers = (doc.maintainers ?? []).map(toUser);
  const npmUser = latest['_npmUser'] as Person | undefined;
  return {
    package: {
      name: doc.name,
      scope: scopeOf(doc.name)?.slice(1) ?? 'unscoped',
      version,
      description: typeof latest['description'] === 'string' ? latest['description'] : '',
      keywords: Array.isArray(latest['keywords']) ? (latest['keywords'] as string[]) : [],
      date: doc.time?.[version] ?? doc.time?.['modified'] ?? new Date(0).toISOString(),
      links: {},
      ...(npmUser?.name ? { publisher: toUser(npmUser) } : {}),
      maintainers,
    },
    score: { final: 1, detail: { quality: 1, popularity: 1, maintenance: 1 } },
    searchScore: 1,
  };
}
