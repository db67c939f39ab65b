import { startFixtureRegistry } from './fixture-registry';

describe('fixture registry', () => {
  it('serves packuments with integrity and can corrupt, go down and count requests', async () => {
    const fixture = await startFixtureRegistry();
    try {
      fixture.setPackage('p', { '1.0.0': { tarball: Buffer.from('abc') } });
      const doc = (await (await fetch(`${fixture.url}/p`)).json()) as { versions: Record<string, { dist: { integrity: string; tarball: string } }> };
      expect(doc.versions['1.0.0']?.dist.integrity).toMatch(/^sha512-/);
      fixture.corruptTarball('p', '1.0.0');
      expect(await (await fetch(doc.versions['1.0.0']?.dist.tarball as string)).text()).toBe('abccorrupt');
      fixture.setDown(true);
      expect((await fetch(`${fixture.url}/p`)).status).toBe(503);
      expect(fixture.requests).toEqual(['GET /p', 'GET /p/-/p-1.0.0.tgz', 'GET /p']);
    } finally {
      await fixture.close();
    }
  });
});
