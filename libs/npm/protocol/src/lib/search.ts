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

/** The words a search text asks for, lowercased; `key:value` qualifiers are not supported and ignored. */
export const searchWords = (text: string): string[] => text.toLowerCase().split(/\s+/).filter((w) => w.length > 0 && !w.includes(':'));

/** What a search hit is matched on (its name, description and keywords are the latest version's), made once per hit. */
export const searchHaystack = (hit: SearchObject): string =>
  haystackOf([hit.package.name, hit.package.description, ...(Array.isArray(hit.package.keywords) ? hit.package.keywords : [])]);

/** True when every word is in the haystack. */
export const haystackMatches = (haystack: string, words: readonly string[]): boolean => words.every((w) => haystack.includes(w));

const matchesWords = (fields: unknown[], text: string): boolean => haystackMatches(haystackOf(fields), searchWords(text));
const haystackOf = (fields: unknown[]): string => fields.filter((s): s is string => typeof s === 'string').join(' ').toLowerCase();

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
