import { escapeHtml } from './escape-html';
import { SIMPLE_API_VERSION } from './project-page';
import type { SimpleFormat } from './negotiate-simple-format';
import { normalizeProjectName } from './normalize-project-name';

/**
 * The root page `/simple/` (PEP 503 / 691): one entry per project, linking to `<base>/<normalized>/`.
 * `projectBase` is the path of the simple root as clients see it, e.g. `/simple`.
 */
export function renderProjectList(names: readonly string[], format: SimpleFormat, projectBase: string): string {
  if (format === 'json-v1') {
    return JSON.stringify({ meta: { 'api-version': SIMPLE_API_VERSION }, projects: names.map((name) => ({ name })) });
  }
  const anchors = names.map(
    (name) => `    <a href="${escapeHtml(`${projectBase}/${normalizeProjectName(name)}/`)}">${escapeHtml(name)}</a><br/>`,
  );
  return [
    '<!DOCTYPE html>',
    '<html>',
    '  <head>',
    `    <meta name="pypi:repository-version" content="${SIMPLE_API_VERSION}">`,
    '    <title>Simple index</title>',
    '  </head>',
    '  <body>',
    ...anchors,
    '  </body>',
    '</html>',
    '',
  ].join('\n');
}
