import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { usageSnapshot, usageWriterWorld } from './testing/usage-writer';

describe('the usage snapshot writer (tools/lake/put-usage-snapshot.ts) on the fs store, and the console that reads it', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'usage-snapshot-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('stores the snapshot through the store\'s own code, where the proxy reads it, and refuses a file that is not one', async () => {
    const world = usageWriterWorld(dir, { STORAGE_DRIVER: 'fs', DATA_DIR: path.join(dir, 'data'), STORAGE_PREFIX: 'registry' }, process.env);
    expect((await world.put('usage.json', usageSnapshot(7))).stdout).toContain(`stored at ${USAGE_SNAPSHOT_KEY}`);
    expect(await world.stored()).toEqual(usageSnapshot(7));
    expect(await world.usagePage()).toContain('<a href="/-/web/package/left-pad">left-pad</a></td><td>7</td>');

    const bad = { ...usageSnapshot(9), versions: [{ package: 'left-pad' }] };
    await expect(world.put('bad.json', bad)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not a usage snapshot: versions.0.registry') });
    expect(await world.stored()).toEqual(usageSnapshot(7));
  });
});
