import type { Packument, Person } from './packument';
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
  const latest = doc.versions[doc['dist-tags']['latest'] ?? ''];
  const words = text.toLowerCase().split(/\s+/).filter((w) => w.length > 0 && !w.includes(':'));
  const haystack = [doc.name, latest?.['description'], ...(Array.isArray(latest?.['keywords']) ? latest['keywords'] : [])]
    .filter((s): s is string => typeof s === 'string')
    .join(' ')
    .toLowerCase();
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
