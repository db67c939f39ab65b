import { parseUpstreamProjectList } from './parse-upstream-project-list';

describe('parseUpstreamProjectList', () => {
  it('reads the names of a PEP 691 JSON root index and of a PEP 503 HTML one', () => {
    const json = JSON.stringify({ meta: { 'api-version': '1.1', '_last-serial': 7 }, projects: [{ name: 'Django', _last_serial: 3 }, { name: 'a_b' }, { nope: 1 }] });
    expect(parseUpstreamProjectList(json, 'application/vnd.pypi.simple.v1+json')).toEqual(['Django', 'a_b']);
    const html = '<html><body>\n<a href="/simple/django/">Django</a>\n<a href="/simple/a-b/">a&amp;b</a>\n</body></html>';
    expect(parseUpstreamProjectList(html, 'text/html')).toEqual(['Django', 'a&b']);
    expect(() => parseUpstreamProjectList('{}', 'application/vnd.pypi.simple.v1+json')).toThrow(/projects/);
  });
});
