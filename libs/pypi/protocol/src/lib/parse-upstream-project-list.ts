import { unescapeHtml } from './escape-html';

/**
 * The project names of an upstream root index (`/simple/`, PEP 503 HTML or PEP 691 JSON `projects[].name`),
 * as the upstream spells them. Throws on a JSON body of the wrong shape; HTML without anchors lists nothing.
 */
export function parseUpstreamProjectList(body: string, contentType: string): string[] {
  if (contentType.toLowerCase().startsWith('application/vnd.pypi.simple.v1+json')) {
    const doc = JSON.parse(body) as { projects?: unknown };
    if (!Array.isArray(doc.projects)) throw new Error('root index JSON has no projects array');
    return doc.projects.flatMap((p: unknown) => {
      const name = (p as { name?: unknown } | null)?.name;
      return typeof name === 'string' && name !== '' ? [name] : [];
    });
  }
  const names: string[] = [];
  for (const m of body.matchAll(/<a\b[^>]*>([^<]+)<\/a>/gi)) names.push(unescapeHtml((m[1] as string).trim()));
  return names.filter((name) => name !== '');
}
