import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderProjectHtml, renderProjectJson } from './render-project-page';
import { renderProjectList } from './render-project-list';
import type { ProjectPage } from './project-page';

const fixture = (name: string) => readFileSync(path.join(__dirname, '../__fixtures__', name), 'utf8');
const page = JSON.parse(fixture('model-page.json')) as ProjectPage;

describe('rendering a project page', () => {
  it('matches the golden PEP 503 HTML (escaping, yanked, both metadata attributes, %2B)', () => {
    expect(renderProjectHtml(page)).toBe(fixture('model-page.golden.html'));
  });

  it('matches the golden PEP 691 JSON (api 1.1, yanked true for an empty reason)', () => {
    expect(JSON.parse(renderProjectJson(page))).toEqual(JSON.parse(fixture('model-page.golden.json')));
  });

  it('links every project of the root page to its normalized URL', () => {
    const html = renderProjectList(['Acme.Utils', 'zeta'], 'html-legacy', '/simple');
    expect(html).toContain('<a href="/simple/acme-utils/">Acme.Utils</a>');
    expect(JSON.parse(renderProjectList(['zeta'], 'json-v1', '/simple'))).toEqual({ meta: { 'api-version': '1.1' }, projects: [{ name: 'zeta' }] });
  });
});
