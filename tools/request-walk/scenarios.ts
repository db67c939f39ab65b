// The two request walks a newcomer follows (a cold npm tarball, a twine upload), built with the apps' own test harnesses on the fs store.
import { randomBytes } from 'node:crypto';
import { NoopAuditClient } from '@registry/audit-client';
import { createFsBlobStore } from '@registry/storage-blob-store-fs';
import { startFixtureRegistry } from '@registry/npm-testing';
import { makeWheel } from '@registry/pypi-testing';
import { buildTestApp } from '../../apps/npm-proxy/src/testing/harness';
import { createHarness } from '../../apps/pypi-proxy/src/testing/harness';
import type { Scenario } from './walk';

const npmColdTarball: Scenario = {
  name: 'cold npm tarball (GET /<name>/-/<file>.tgz, nothing cached)',
  async setup(dataDir) {
    const upstream = await startFixtureRegistry();
    upstream.setPackage('warm-up', { '1.0.0': { tarball: randomBytes(2000) } });
    upstream.setPackage('left-pad', { '1.0.0': { tarball: randomBytes(2000) } });
    const app = await buildTestApp({ store: createFsBlobStore({ root: dataDir }), audit: new NoopAuditClient(), upstreamUrl: upstream.url });
    const get = async (url: string) => {
      const res = await fetch(url);
      await res.arrayBuffer();
      return res.status;
    };
    return {
      app: app as never,
      warmUp: async (url) => void (await get(`${url}/warm-up/-/warm-up-1.0.0.tgz`)),
      measured: (url) => get(`${url}/left-pad/-/left-pad-1.0.0.tgz`),
      close: () => upstream.close(),
    };
  },
};

const twineUpload: Scenario = {
  name: 'twine upload (POST /legacy/ with a wheel)',
  async setup(dataDir) {
    const harness = await createHarness({ store: createFsBlobStore({ root: dataDir }), audit: new NoopAuditClient() });
    await harness.identity.createUser({ name: 'alice', password: 'alice-password-123' });
    const auth = `Basic ${Buffer.from('alice:alice-password-123').toString('base64')}`;
    const upload = async (url: string, name: string) => {
      const wheel = makeWheel({ name, version: '1.0.0' });
      const form = new FormData();
      const fields: Record<string, string> = {
        ':action': 'file_upload', protocol_version: '1', name, version: '1.0.0', filetype: 'bdist_wheel', pyversion: 'py3',
        metadata_version: '2.1', sha256_digest: wheel.sha256,
      };
      for (const [k, v] of Object.entries(fields)) form.append(k, v);
      form.append('content', new Blob([new Uint8Array(wheel.bytes)]), wheel.filename);
      const res = await fetch(`${url}/legacy/`, { method: 'POST', body: form, headers: { authorization: auth } });
      await res.arrayBuffer();
      return res.status;
    };
    return {
      app: harness.app as never,
      warmUp: async (url) => void (await upload(url, 'warm-up')),
      measured: (url) => upload(url, 'private-pkg'),
      close: () => harness.close(),
    };
  },
};

export const scenarios: Scenario[] = [npmColdTarball, twineUpload];
