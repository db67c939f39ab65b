import { makeSdist, makeWheel, sha256Hex } from './make-distributions';
import { startFixtureUpstream } from './fixture-upstream';

describe('the fixture upstream', () => {
  it('serves JSON or HTML pages with ETags, files, and counts every request', async () => {
    const upstream = await startFixtureUpstream();
    try {
      const wheel = makeWheel({ name: 'demo', version: '1.0' });
      upstream.setProject('Demo', [{ filename: wheel.filename, bytes: wheel.bytes, metadata: wheel.metadata as Buffer }]);
      const json = await fetch(`${upstream.indexUrl}/demo/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
      const page = (await json.json()) as { files: Array<{ url: string; hashes: { sha256: string } }> };
      expect(page.files[0]!.hashes.sha256).toBe(sha256Hex(wheel.bytes));
      const html = await fetch(`${upstream.indexUrl}/demo/`);
      expect(await html.text()).toContain(`#sha256=${wheel.sha256}`);
      const again = await fetch(`${upstream.indexUrl}/demo/`, { headers: { 'if-none-match': html.headers.get('etag') as string } });
      expect(again.status).toBe(304);
      const file = await fetch(page.files[0]!.url);
      expect(Buffer.from(await file.arrayBuffer()).equals(wheel.bytes)).toBe(true);
      upstream.fileMode = 'corrupt';
      const corrupt = await fetch(page.files[0]!.url);
      expect(Buffer.from(await corrupt.arrayBuffer()).equals(wheel.bytes)).toBe(false);
      expect(upstream.requests).toHaveLength(5);
      expect(makeSdist({ name: 'demo', version: '1.0' }).bytes.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    } finally {
      await upstream.stop();
    }
  });
});
