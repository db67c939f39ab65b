import { releaseMemoryWhenIdle } from './release-memory-when-idle';

describe('releaseMemoryWhenIdle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function run(windows: number[]) {
    const queue = [...windows];
    let collections = 0;
    const stop = releaseMemoryWhenIdle({ intervalMs: 100, utilization: () => queue.shift() ?? 0, collect: async () => void collections++ });
    return { advance: async (n: number) => { for (let i = 0; i < n; i++) await jest.advanceTimersByTimeAsync(100); }, collections: () => collections, stop };
  }

  it('collects once when the process goes quiet after load, and again only after the next load', async () => {
    const { advance, collections, stop } = run([0.9, 0.8, 0.01, 0.0, 0.0, 0.5, 0.3, 0.0, 0.0]);
    await advance(5);
    expect(collections()).toBe(1);
    await advance(4);
    expect(collections()).toBe(2);
    stop();
  });

  it('never collects in a process that was never busy, nor while the load goes on', async () => {
    const quiet = run([0.0, 0.01, 0.0, 0.1, 0.05]);
    await quiet.advance(5);
    expect(quiet.collections()).toBe(0);
    quiet.stop();
    const busy = run([0.9, 0.9, 0.5, 0.3, 0.9]);
    await busy.advance(5);
    expect(busy.collections()).toBe(0);
    busy.stop();
  });
});
