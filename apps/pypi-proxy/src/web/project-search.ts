import { normalizeProjectName } from '@registry/pypi-protocol';
import type { PypiService } from '@registry/pypi-service';
import type { LocalSearch } from '@registry/web-console';

/**
 * PyPI has no search API: the console searches project names, those of the root index (`/simple/`: private
 * projects, cached pages, the upstream's list), by normalized substring. The names are parsed once per root
 * index the service renders (it keeps one body per change), not once per search.
 */
export function projectNameIndex(pypi: PypiService): { search: LocalSearch } {
  let parsed: { body: Buffer; names: Array<{ name: string; normalized: string }> } | undefined;
  const namesOf = async () => {
    const body = await pypi.projectList('json-v1');
    if (parsed?.body !== body) {
      const doc = JSON.parse(body.toString('utf8')) as { projects?: Array<{ name?: unknown }> };
      const names = (doc.projects ?? []).flatMap((p) => (typeof p.name === 'string' ? [{ name: p.name, normalized: normalizeProjectName(p.name) }] : []));
      parsed = { body, names };
    }
    return parsed.names;
  };
  return {
    search: async ({ text, from, size }) => {
      const wanted = normalizeProjectName(text.trim());
      const names = await namesOf();
      const matches = wanted === '' ? names : names.filter((n) => n.normalized.includes(wanted));
      // An exact match first, then the shorter (closer) names.
      const ranked = wanted === '' ? matches : [...matches].sort((a, b) => Number(b.normalized === wanted) - Number(a.normalized === wanted) || a.normalized.length - b.normalized.length || a.normalized.localeCompare(b.normalized));
      return { total: ranked.length, hits: ranked.slice(from, from + size).map((n) => ({ name: n.name })) };
    },
  };
}
