// A fixed number of async workers over a list (bulk loaders: bounded load on the server being loaded).

/** Runs `fn` on every item with at most `concurrency` in flight; resolves to the results in item order. */
export async function runPool(items, concurrency, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
