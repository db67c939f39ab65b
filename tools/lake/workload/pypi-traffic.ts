import type { FixtureUpstream } from '@registry/pypi-testing';
import { makeWheel, type BuiltDistribution } from '@registry/pypi-testing';
import { expectStatus, request, type Operation } from './operations';

/** (project, downloads): the first download goes upstream, the rest hit the cache. */
export const PYPI_DOWNLOADS: ReadonlyArray<readonly [string, number]> = [
  ['requests', 4],
  ['numpy', 2],
];
export const PYPI_UPLOADER = 'carol';
export const PYPI_UPLOADER_PASSWORD = 'carol-password-123';
const JSON_ACCEPT = 'application/vnd.pypi.simple.v1+json';

export function servePypiFixtures(upstream: FixtureUpstream): void {
  for (const [name] of PYPI_DOWNLOADS) {
    const wheel = makeWheel({ name, version: '1.0.0', requiresDist: [`extra-dep-of-${name}`] });
    upstream.setProject(name, [{ filename: wheel.filename, bytes: wheel.bytes }]);
  }
}

/** The legacy upload form (protocols §2), as twine sends it; `omitContent` makes it a refused upload. */
function uploadForm(dist: BuiltDistribution, omitContent: boolean): FormData {
  const form = new FormData();
  const fields: Record<string, string> = {
    ':action': 'file_upload', protocol_version: '1', name: 'private-pkg', version: '1.0.0', filetype: 'bdist_wheel',
    pyversion: 'py3', metadata_version: '2.1', sha256_digest: dist.sha256,
  };
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  if (!omitContent) form.append('content', new Blob([new Uint8Array(dist.bytes)]), dist.filename);
  return form;
}

/** Downloads through the real pypi-proxy, one refused and one accepted upload by the admin user. */
export async function runPypiTraffic(proxy: string): Promise<Operation[]> {
  const ops: Operation[] = [];
  for (const [name, downloads] of PYPI_DOWNLOADS) {
    const page = await request(`${proxy}/simple/${name}/`, { headers: { accept: JSON_ACCEPT } });
    expectStatus(`pypi page ${name}`, page, 200);
    ops.push({ registry: 'pypi', action: 'metadata', package: name, source: null, status: 200, size: null, user: null });
    const files = (JSON.parse(page.body.toString('utf8')) as { files: Array<{ url: string }> }).files;
    const fileUrl = new URL(files[0]?.url as string, `${proxy}/simple/${name}/`).toString();
    if (!fileUrl.startsWith(proxy)) throw new Error(`page of ${name} points at ${fileUrl}, not at the proxy`);
    for (let i = 0; i < downloads; i++) {
      const got = await request(fileUrl);
      expectStatus(`pypi file ${name} #${i + 1}`, got, 200);
      ops.push({ registry: 'pypi', action: 'download', package: name, source: i === 0 ? 'upstream' : 'cache', status: 200, size: got.body.length, user: null });
    }
  }
  const wheel = makeWheel({ name: 'private-pkg', version: '1.0.0' });
  const authorization = `Basic ${Buffer.from(`${PYPI_UPLOADER}:${PYPI_UPLOADER_PASSWORD}`).toString('base64')}`;
  for (const omitContent of [true, false]) {
    const res = await request(`${proxy}/legacy/`, { method: 'POST', headers: { authorization }, body: uploadForm(wheel, omitContent) });
    expectStatus(`pypi upload (${omitContent ? 'without' : 'with'} content)`, res, omitContent ? 400 : 200);
    ops.push({ registry: 'pypi', action: 'upload', package: 'private-pkg', source: null, status: res.status, size: null, user: PYPI_UPLOADER });
  }
  return ops;
}
