/**
 * Trimming keeps big upstream documents small enough to commit while leaving every field that is not a list
 * entry exactly as upstream sent it (`meta`, `name`, `versions`, and the kept entries themselves). Each trim
 * reads JSON or HTML, whichever upstream answered (an upstream may ignore the Accept header).
 */
export type Trim = (body: string) => string;

const isJson = (body: string): boolean => /^\s*[{[]/.test(body);

/** Project page: only the files whose filename passes `keep` (JSON `files`, or HTML anchor lines). */
export function keepFiles(keep: (filename: string) => boolean): Trim {
  return (body) => {
    if (!isJson(body)) return filterAnchorLines(body, (text) => keep(text));
    const doc = JSON.parse(body) as { files?: Array<{ filename?: unknown }> };
    if (Array.isArray(doc.files)) doc.files = doc.files.filter((f) => typeof f.filename === 'string' && keep(f.filename));
    return JSON.stringify(doc);
  };
}

/** Root page: the first `n` projects (JSON `projects`, or HTML anchor lines). */
export function firstProjects(n: number): Trim {
  return (body) => {
    if (!isJson(body)) {
      let seen = 0;
      return filterAnchorLines(body, () => (seen += 1) <= n);
    }
    const doc = JSON.parse(body) as { projects?: unknown[] };
    if (Array.isArray(doc.projects)) doc.projects = doc.projects.slice(0, n);
    return JSON.stringify(doc);
  };
}

/** Lines without an anchor are kept; a line with one is kept when `keep(anchor text)` says so. */
function filterAnchorLines(body: string, keep: (anchorText: string) => boolean): string {
  return body
    .split('\n')
    .filter((line) => {
      const anchor = /<a\s[^>]*>([^<]*)<\/a>/i.exec(line);
      return anchor === null || keep(anchor[1]!.trim());
    })
    .join('\n');
}
