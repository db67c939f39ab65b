import { isAppError } from '@registry/shared-errors';
import { parseUpstreamPage } from './parse-upstream-page';
import type { ProjectPage } from './project-page';
import { applyProjectStatus, parseProjectStatus, statusAllowsUploads, statusOffersFiles } from './project-status';
import { proxiedUpstreamFile } from './proxied-file';
import { renderProjectHtml, renderProjectJson } from './render-project-page';

const SHA = 'ab'.repeat(32);
type RenderedJson = { meta: Record<string, unknown>; files: unknown[]; 'project-status'?: unknown };
const page = (status?: ProjectPage['projectStatus']): ProjectPage => ({
  name: 'acme',
  versions: ['1.0'],
  files: [{ filename: 'acme-1.0.tar.gz', url: '/f/acme-1.0.tar.gz', hashes: { sha256: SHA }, requiresPython: null, size: 1, uploadTime: null, yanked: false }],
  ...(status ? { projectStatus: status } : {}),
});

describe('PEP 792 project status markers', () => {
  it('reads the JSON object and the HTML meta tags, and renders them back (API 1.4)', () => {
    const json = JSON.stringify({ meta: { 'api-version': '1.4' }, name: 'acme', 'project-status': { status: 'deprecated', reason: 'use "acme2" <now>' }, versions: [], files: [] });
    const parsed = parseUpstreamPage(json, 'application/vnd.pypi.simple.v1+json', 'https://up.invalid/simple/acme/', 'acme');
    expect(parsed.projectStatus).toEqual({ status: 'deprecated', reason: 'use "acme2" <now>' });
    const rendered = JSON.parse(renderProjectJson(parsed)) as RenderedJson;
    expect(rendered['project-status']).toEqual({ status: 'deprecated', reason: 'use "acme2" <now>' });
    expect(rendered['meta']['api-version']).toBe('1.4');
    const html = renderProjectHtml(parsed);
    expect(html).toContain('<meta name="pypi:project-status" content="deprecated">');
    expect(html).toContain('<meta name="pypi:project-status-reason" content="use &quot;acme2&quot; &lt;now&gt;">');
    expect(html).toContain('<meta name="pypi:repository-version" content="1.4">');
    expect(parseUpstreamPage(html, 'text/html', 'https://up.invalid/simple/acme/', 'acme').projectStatus).toEqual(parsed.projectStatus);
  });

  it('reads a status without reason, and the flattened `meta` form of the spec example', () => {
    const bare = JSON.stringify({ meta: { 'api-version': '1.4' }, name: 'acme', 'project-status': { status: 'archived' }, files: [] });
    expect(parseUpstreamPage(bare, 'application/vnd.pypi.simple.v1+json', 'https://up.invalid/', 'acme').projectStatus).toEqual({ status: 'archived' });
    const flat = JSON.stringify({ meta: { 'api-version': '1.4', 'project-status': 'archived', 'project-status-reason': 'done' }, name: 'acme', files: [] });
    expect(parseUpstreamPage(flat, 'application/vnd.pypi.simple.v1+json', 'https://up.invalid/', 'acme').projectStatus).toEqual({ status: 'archived', reason: 'done' });
  });

  it('drops an unknown marker: its index semantics are unknown', () => {
    const odd = JSON.stringify({ meta: { 'api-version': '1.4' }, name: 'acme', 'project-status': { status: 'haunted' }, files: [] });
    expect(parseUpstreamPage(odd, 'application/vnd.pypi.simple.v1+json', 'https://up.invalid/', 'acme').projectStatus).toBeUndefined();
  });

  it('a quarantined project lists no files and no versions, whoever built the page', () => {
    const quarantined = page({ status: 'quarantined', reason: 'malware' });
    expect(applyProjectStatus(quarantined)).toMatchObject({ files: [], versions: [] });
    const json = JSON.parse(renderProjectJson(quarantined)) as RenderedJson;
    expect(json['files']).toEqual([]);
    expect(json['project-status']).toEqual({ status: 'quarantined', reason: 'malware' });
    expect(renderProjectHtml(quarantined)).not.toContain('<a ');
    expect(applyProjectStatus(page({ status: 'archived' })).files).toHaveLength(1);
  });

  it('archived and quarantined refuse uploads; active, deprecated and none accept them', () => {
    expect([undefined, 'active', 'deprecated', 'archived', 'quarantined'].map((s) => statusAllowsUploads(s ? { status: s as 'active' } : undefined))).toEqual([
      true, true, true, false, false,
    ]);
    expect(statusOffersFiles({ status: 'quarantined' })).toBe(false);
    expect(statusOffersFiles(undefined)).toBe(true);
  });

  it('validates a status set by an owner', () => {
    expect(parseProjectStatus({ status: 'archived', reason: 'moved to acme2' })).toEqual({ status: 'archived', reason: 'moved to acme2' });
    expect(parseProjectStatus({ status: 'active', reason: '' })).toEqual({ status: 'active' });
    for (const bad of [null, [], 'archived', { status: 'gone' }, { status: 'archived', reason: 5 }, { status: 'archived', reason: 'x'.repeat(1001) },
      { status: 'archived', reason: 'a\u0000b' }, { status: 'archived', __proto__: { polluted: true }, extra: 1 }]) {
      let err: unknown;
      try {
        parseProjectStatus(bad);
      } catch (e) {
        err = e;
      }
      expect(isAppError(err) && err.code === 'invalid_request').toBe(true);
    }
  });

  it('keeps the status of a proxied page while its files are rewritten', () => {
    const upstream = page({ status: 'deprecated' });
    const ours = { ...upstream, files: upstream.files.map((f) => proxiedUpstreamFile(f, { project: 'acme', fileUrl: '/files/x', baseUrl: 'https://us.invalid' })) };
    expect((JSON.parse(renderProjectJson(ours)) as Record<string, unknown>)['project-status']).toEqual({ status: 'deprecated' });
  });
});
