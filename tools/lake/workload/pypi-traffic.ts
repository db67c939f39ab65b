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
/** uv reads a wheel's central directory from its end first. */
export const UV_RANGE = 'bytes=-64';

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

/** The project page's first file URL (PEP 691 JSON), checked to point at the proxy. */
async function firstFileUrl(proxy: string, name: string, ops: Operation[]): Promise<string> {
  const page = await request(`${proxy}/simple/${name}/`, { headers: { accept: JSON_ACCEPT } });
  expectStatus(`pypi page ${name}`, page, 200);
  ops.push({ registry: 'pypi', action: 'metadata', package: name, source: null, status: 200, size: null, user: null });
  const files = (JSON.parse(page.body.toString('utf8')) as { files: Array<{ url: string }> }).files;
  const fileUrl = new URL(files[0]?.url as string, `${proxy}/simple/${name}/`).toString();
  if (!fileUrl.startsWith(proxy)) throw new Error(`page of ${name} points at ${fileUrl}, not at the proxy`);
  return fileUrl;
}

/** What uv does before it downloads a wheel without PEP 658 metadata: a HEAD, then a read of the zip's tail. */
async function uvMetadataReads(fileUrl: string, name: string): Promise<Operation[]> {
  const head = await request(fileUrl, { method: 'HEAD' });
  expectStatus(`pypi HEAD ${name}`, head, 200);
  const tail = await request(fileUrl, { headers: { range: UV_RANGE } });
  expectStatus(`pypi range ${name}`, tail, 206);
  return [
    { registry: 'pypi', action: 'download', package: name, source: 'cache', status: 200, size: 0, user: null, method: 'HEAD' },
    { registry: 'pypi', action: 'download', package: name, source: 'cache', status: 206, size: tail.body.length, user: null, range: UV_RANGE },
  ];
}

/**
 * Downloads through the real pypi-proxy (and uv's HEAD and range reads), an upload with a wrong password, one
 * refused and one accepted upload by the admin user, then downloads of that private package.
 */
export async function runPypiTraffic(proxy: string): Promise<Operation[]> {
  const ops: Operation[] = [];
  for (const [name, downloads] of PYPI_DOWNLOADS) {
    const fileUrl = await firstFileUrl(proxy, name, ops);
    for (let i = 0; i < downloads; i++) {
      const got = await request(fileUrl);
      expectStatus(`pypi file ${name} #${i + 1}`, got, 200);
      ops.push({ registry: 'pypi', action: 'download', package: name, source: i === 0 ? 'upstream' : 'cache', status: 200, size: got.body.length, user: null });
    }
    if (name === 'requests') ops.push(...(await uvMetadataReads(fileUrl, name)));
  }
  const wheel = makeWheel({ name: 'private-pkg', version: '1.0.0' });
  const basic = (password: string) => `Basic ${Buffer.from(`${PYPI_UPLOADER}:${password}`).toString('base64')}`;
  // twine with a wrong password: refused, recorded with the user name it claimed.
  const refused = await request(`${proxy}/legacy/`, { method: 'POST', headers: { authorization: basic('wrong-password') }, body: uploadForm(wheel, false) });
  if (refused.status !== 401 && refused.status !== 403) throw new Error(`pypi upload with a wrong password answered ${refused.status}`);
  ops.push({ registry: 'pypi', action: 'upload', package: 'private-pkg', source: null, status: refused.status, size: null, user: PYPI_UPLOADER });
  const authorization = basic(PYPI_UPLOADER_PASSWORD);
  for (const omitContent of [true, false]) {
    const res = await request(`${proxy}/legacy/`, { method: 'POST', headers: { authorization }, body: uploadForm(wheel, omitContent) });
    expectStatus(`pypi upload (${omitContent ? 'without' : 'with'} content)`, res, omitContent ? 400 : 200);
    ops.push({ registry: 'pypi', action: 'upload', package: 'private-pkg', source: null, status: res.status, size: null, user: PYPI_UPLOADER });
  }
  const privateUrl = await firstFileUrl(proxy, 'private-pkg', ops);
  for (let i = 0; i < 2; i++) {
    const got = await request(privateUrl);
    expectStatus(`pypi private file #${i + 1}`, got, 200);
    ops.push({ registry: 'pypi', action: 'download', package: 'private-pkg', source: 'cache', status: 200, size: got.body.length, user: null, origin: 'private' });
  }
  return ops;
}
