import { ListedKeys } from './listed-keys';

/** A listing over a mutable array that counts how often it ran; `gate` holds a listing half-way until released. */
function source(initial: string[]) {
  const stored = [...initial];
  let listings = 0;
  let gate: Promise<void> | undefined;
  return {
    stored,
    listings: () => listings,
    hold(): () => void {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      return release;
    },
    async *list(): AsyncIterable<string> {
      listings += 1;
      const snapshot = [...stored];
      if (gate) await gate;
      yield* snapshot;
    },
  };
}

function listed(src: ReturnType<typeof source>, recheckMs: number, clock: { t: number }, errors: unknown[] = []) {
  return new ListedKeys({ list: () => src.list(), recheckMs, now: () => clock.t, onRefreshError: (err) => errors.push(err) });
}

describe('ListedKeys', () => {
  it('lists once, then answers from memory until the recheck bound has passed', async () => {
    const clock = { t: 0 };
    const src = source(['a', 'b']);
    const keys = listed(src, 1000, clock);
    expect([...(await keys.current()).keys]).toEqual(['a', 'b']);
    src.stored.push('c');
    clock.t = 999;
    expect((await keys.current()).keys.has('c')).toBe(false);
    expect(src.listings()).toBe(1);
    clock.t = 1000;
    expect((await keys.current()).keys.has('c')).toBe(true);
    expect(src.listings()).toBe(2);
    keys.stop();
  });

  it('shows its own writes at once and moves the version only when the set changes', async () => {
    const clock = { t: 0 };
    const keys = listed(source(['a']), 60_000, clock);
    const first = await keys.current();
    const v0 = first.version;
    keys.added('a');
    expect((await keys.current()).version).toBe(v0);
    keys.added('b');
    const after = await keys.current();
    expect(after.keys.has('b')).toBe(true);
    expect(after.version).not.toBe(v0);
    keys.removed('a');
    expect([...(await keys.current()).keys]).toEqual(['b']);
    keys.stop();
  });

  it('a relist that finds the same set keeps the version; one that finds a removal drops the key', async () => {
    const clock = { t: 0 };
    const src = source(['a', 'b']);
    const keys = listed(src, 60_000, clock);
    const v0 = (await keys.current()).version;
    clock.t = 60_000;
    expect((await keys.current()).version).toBe(v0);
    src.stored.splice(0, 1);
    clock.t = 120_000;
    const now = await keys.current();
    expect([...now.keys]).toEqual(['b']);
    expect(now.version).not.toBe(v0);
    keys.stop();
  });

  it('keeps a write made while a listing that predates it is running', async () => {
    const clock = { t: 0 };
    const src = source(['a']);
    const keys = listed(src, 0, clock);
    await keys.current();
    const release = src.hold();
    const reading = keys.current(); // recheck 0: relists; the listing took its snapshot before the write
    src.stored.push('new');
    keys.added('new');
    src.stored.splice(0, 1);
    keys.removed('a');
    release();
    expect([...(await reading).keys]).toEqual(['new']);
  });

  it('relists in the background every half of the recheck bound, once it has been read', async () => {
    jest.useFakeTimers();
    try {
      const src = source(['a']);
      const keys = listed(src, 1000, { t: 0 });
      await jest.advanceTimersByTimeAsync(5000);
      expect(src.listings()).toBe(0); // nobody read it: never listed
      await keys.current();
      src.stored.push('b');
      await jest.advanceTimersByTimeAsync(500);
      expect(src.listings()).toBe(2);
      expect((await keys.current()).keys.has('b')).toBe(true); // the clock did not move: the background listing found it
      keys.stop();
      await jest.advanceTimersByTimeAsync(5000);
      expect(src.listings()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('concurrent reads share one listing', async () => {
    const src = source(['a']);
    const keys = listed(src, 0, { t: 0 });
    await Promise.all([keys.current(), keys.current(), keys.current()]);
    expect(src.listings()).toBe(1);
  });

  it('a failed first listing fails the read; a failed relist keeps the last set and reports the error', async () => {
    const clock = { t: 0 };
    const errors: unknown[] = [];
    let fail = true;
    const keys = new ListedKeys({
      // eslint-disable-next-line require-yield
      list: async function* () {
        if (fail) throw new Error('store down');
        yield 'a';
      },
      recheckMs: 60_000, now: () => clock.t, onRefreshError: (err) => errors.push(err),
    });
    await expect(keys.current()).rejects.toThrow('store down');
    fail = false;
    expect([...(await keys.current()).keys]).toEqual(['a']);
    fail = true;
    clock.t = 60_000;
    expect([...(await keys.current()).keys]).toEqual(['a']);
    expect(errors).toHaveLength(1);
    keys.stop();
  });
});
