import path from 'node:path';
import { loadRecordedFixtures } from '@registry/shared-testing';
import { mediaTypeOf, negotiateSimpleFormat } from './negotiate-simple-format';
import { versionsFromFilenames } from './page-fields';
import { parseUpstreamPage } from './parse-upstream-page';
import { lastSerialHeader } from './project-page';
import { renderProjectHtml, renderProjectJson } from './render-project-page';

const recorded = loadRecordedFixtures(path.join(__dirname, '../__fixtures__/recorded'));
const INDEX = 'https://pypi-index.upstream.invalid/simple';

function parseRecorded(name: string, project: string) {
  const exchange = recorded.exchange(name);
  return parseUpstreamPage(recorded.body(name), exchange.headers['content-type'] ?? 'text/html', `${INDEX}/${project}/`, project, {
    lastSerial: exchange.headers['x-pypi-last-serial'],
  });
}

describe('recorded upstream pages: what we parse and render is what upstream said', () => {
  it.each([['six.v1', 'six'], ['numpy.v1', 'numpy'], ['sampleproject.v1', 'sampleproject']])(
    '%s: re-rendering the parsed JSON page gives back upstream\'s document, key for key',
    (name, project) => {
      const upstream = JSON.parse(recorded.body(name)) as Record<string, unknown>;
      const ours = JSON.parse(renderProjectJson(parseRecorded(name, project))) as Record<string, unknown>;
      expect(ours).toEqual(upstream);
    },
  );

  it('keeps `versions` as upstream computed it: numpy 1.10.0.post2 files belong to release 1.10.0', () => {
    const page = parseRecorded('numpy.v1', 'numpy');
    const upstream = JSON.parse(recorded.body('numpy.v1')) as { versions: string[] };
    expect(page.files.map((f) => f.filename)).toContain('numpy-1.10.0.post2.tar.gz');
    expect(page.versions).toEqual(upstream.versions);
    expect(page.versions).not.toContain('1.10.0.post2');
    // The old behaviour: adding each file's own version is what put the extra entry in.
    expect(versionsFromFilenames(page.files, 'numpy')).toContain('1.10.0.post2');
  });

  it('keeps `_last-serial` as data: JSON meta, the HTML trailer, and the header value', () => {
    const page = parseRecorded('six.v1', 'six');
    const upstreamSerial = (JSON.parse(recorded.body('six.v1')) as { meta: { '_last-serial': unknown } }).meta['_last-serial'];
    expect(page.lastSerial).toBe(upstreamSerial);
    expect(lastSerialHeader(page)).toBe(String(upstreamSerial));
    expect(renderProjectHtml(page)).toContain(`<!--SERIAL ${String(upstreamSerial)}-->`);
    const fromHtml = parseUpstreamPage(renderProjectHtml(page), 'text/html', `${INDEX}/six/`, 'six');
    expect(fromHtml.lastSerial).toBe(Number(upstreamSerial));
  });

  it('adds no core-metadata, provenance or project-status where upstream said none', () => {
    for (const [name, project] of [['six.v1', 'six'], ['numpy.v1', 'numpy'], ['sampleproject.v1', 'sampleproject']] as const) {
      const upstreamKeys = new Set((JSON.parse(recorded.body(name)) as { files: object[] }).files.flatMap((f) => Object.keys(f)));
      const rendered = JSON.parse(renderProjectJson(parseRecorded(name, project))) as Record<string, unknown> & { files: object[] };
      const renderedKeys = new Set(rendered.files.flatMap((f) => Object.keys(f)));
      expect([...renderedKeys].filter((k) => !upstreamKeys.has(k))).toEqual([]);
      expect('project-status' in rendered).toBe('project-status' in JSON.parse(recorded.body(name)));
      expect(renderProjectHtml(parseRecorded(name, project))).not.toMatch(/data-core-metadata|data-provenance|pypi:project-status/);
    }
  });

  it.each([['six', 'six.v1'], ['numpy', 'numpy.v1'], ['six.v1-html', 'six.v1']])(
    'the HTML page %s lists the same files and hashes as the JSON page', (htmlName, jsonName) => {
      const project = jsonName.split('.')[0]!;
      const html = parseRecorded(htmlName, project);
      const json = parseRecorded(jsonName, project);
      // Upstream orders the two serializations differently; the set of files is the fact.
      const digestOf = (p: typeof html) => p.files.map((f) => [f.filename, f.url, f.hashes['sha256'], f.requiresPython, f.yanked]).sort();
      expect(digestOf(html)).toEqual(digestOf(json));
    },
  );

  it('reads the upload times some indexes add to their v1+html pages (data-upload-time)', () => {
    const html = parseRecorded('six.v1-html', 'six');
    const json = parseRecorded('six.v1', 'six');
    const timeOf = (p: typeof html) => Object.fromEntries(p.files.map((f) => [f.filename, f.uploadTime]));
    expect(timeOf(html)).toEqual(timeOf(json));
  });
});

describe('recorded upstream content negotiation', () => {
  const family = (contentType: string | null) => (contentType?.includes('json') ? 'json' : 'html');

  /** Where we knowingly differ: `q=0` means "not acceptable" (RFC 9110 §12.4.2), so that client gets the HTML default. */
  const REFUSED = 'application/vnd.pypi.simple.v1+json;q=0';

  it.each(recorded.negotiation.probes.filter((p) => p.accept !== REFUSED).map((p) => [p.accept, p.contentType]))(
    'Accept %j: upstream answered %s, and so do we (JSON vs HTML)', (accept, contentType) => {
      const ours = mediaTypeOf(negotiateSimpleFormat(accept ?? undefined));
      expect(family(ours)).toBe(family(contentType));
    },
  );

  it('honours q=0 where the recorded upstream did not', () => {
    expect(recorded.negotiation.probes.some((p) => p.accept === REFUSED)).toBe(true);
    expect(negotiateSimpleFormat(REFUSED)).toBe('html-legacy');
  });

  it('every probe got a page, never a 406', () => {
    expect(recorded.negotiation.probes.map((p) => p.status)).toEqual(recorded.negotiation.probes.map(() => 200));
  });

  it('names the concrete v1 type it chose (PEP 691), where upstream may answer the text/html alias', () => {
    expect(mediaTypeOf(negotiateSimpleFormat('application/vnd.pypi.simple.v1+html'))).toBe('application/vnd.pypi.simple.v1+html; charset=utf-8');
  });
});
