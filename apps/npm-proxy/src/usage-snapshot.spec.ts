import path from 'node:path';
import { makeTempDir } from '@registry/shared-testing';
import { USAGE_SNAPSHOT_KEY } from '@registry/web-console';
import { usageSnapshot, usageWriterWorld } from './testing/usage-writer';

describe('the usage snapshot writer (tools/lake/put-usage-snapshot.ts) on the fs store, and the console that reads it', () => {
  it('stores the snapshot through the store\'s own code, where the proxy reads it, and refuses a file that is not one', async () => {
    const temp = await makeTempDir('usage-snapshot-');
    try {
      const world = usageWriterWorld(temp.dir, { STORAGE_DRIVER: 'fs', DATA_DIR: path.join(temp.dir, 'data'), STORAGE_PREFIX: 'registry' }, process.env);
      expect(await world.roundTrip(7)).toEqual({ stdout: expect.stringContaining(`stored at ${USAGE_SNAPSHOT_KEY}`), storedAsPut: true, shown: true });

      const bad = { ...usageSnapshot(9), versions: [{ package: 'left-pad' }] };
      await expect(world.put('bad.json', bad)).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('not a usage snapshot: versions.0.registry') });
      expect(await world.stored()).toEqual(usageSnapshot(7));
    } finally {
      await temp.remove();
    }
  });
});
