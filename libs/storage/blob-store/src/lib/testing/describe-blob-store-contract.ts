import { randomUUID } from 'node:crypto';
import { describeBlobContract } from './blob-contract';
import { asSeparateInstance, type BlobStoreUnderTest, type ContractContext } from './contract-support';
import { describeDocumentContract } from './document-contract';

/**
 * The one contract every BlobStore adapter passes: run it from each adapter's spec or
 * int-spec with a `setup` that returns a fresh store (fresh temp dir, unique bucket prefix).
 */
export function describeBlobStoreContract(name: string, setup: () => Promise<BlobStoreUnderTest>): void {
  describe(`BlobStore contract: ${name}`, () => {
    let underTest: BlobStoreUnderTest | undefined;
    const run = `contract-${randomUUID().slice(0, 8)}`;
    const ctx = (): ContractContext => {
      if (underTest === undefined) throw new Error('BlobStore contract setup failed; see the beforeAll error');
      const { store, stagingLeftovers } = underTest;
      return {
        store,
        anotherInstance: () => underTest?.anotherInstance?.() ?? asSeparateInstance(store),
        unique: (part) => `${run}/${part}`,
        expectNoStagingLeftovers: async () => {
          if (stagingLeftovers !== undefined) expect(await stagingLeftovers()).toBe(0);
        },
      };
    };
    beforeAll(async () => {
      underTest = await setup();
    }, 60_000);
    afterAll(async () => {
      await underTest?.teardown?.();
    });

    describe('blobs', () => describeBlobContract(ctx));
    describe('documents', () => describeDocumentContract(ctx));
  });
}
