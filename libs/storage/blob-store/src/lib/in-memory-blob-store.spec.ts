import { describeBlobStoreContract, InMemoryBlobStore } from '../testing';

describeBlobStoreContract('in memory', async () => {
  const store = new InMemoryBlobStore();
  return { store, stagingLeftovers: async () => store.staged.size };
});
