import { Every } from './every';
import { SingleFlight } from './single-flight';

export interface ListedKeysOptions {
  /** One full listing (e.g. a store's keys under a few prefixes). */
  list: () => AsyncIterable<string>;
  /** Bound on how late a key another process added or removed shows here; 0: relisted at every read. */
  recheckMs: number;
  now: () => number;
  /** A background relist failed: the last set stays in use. */
  onRefreshError: (err: unknown) => void;
}

/** The set as one read sees it; `version` changes exactly when the set does. */
export interface ListedKeysSnapshot {
  keys: ReadonlySet<string>;
  version: number;
}

/**
 * A set of keys held in memory, so that a read costs nothing per key however many there are. Built from one
 * listing on first use; this process's own writes show at once (`added`, `removed`); what other processes
 * wrote shows within `recheckMs`: a relist runs in the background every half of it (Every), and a read that
 * finds the last listing older than `recheckMs` (the timer fell behind, or `recheckMs` is 0) relists first.
 * Values derived from the set (a rendered page) key on `version`, so they are rebuilt only when it changes.
 */
export class ListedKeys {
  private keys = new Set<string>();
  private version = 0;
  private listedAt: number | undefined;
  /** Own writes while a listing runs: the listing may predate them, so they are applied over its result. */
  private duringListing: Array<{ key: string; present: boolean }> | undefined;
  private readonly listings = new SingleFlight<void>();
  private refresher: Every | undefined;

  constructor(private readonly opts: ListedKeysOptions) {}

  /** The current set (read it synchronously: it changes in place). The first read waits for the first listing. */
  async current(): Promise<ListedKeysSnapshot> {
    if (this.listedAt === undefined) {
      await this.refresh();
      this.start();
    } else if (this.opts.now() - this.listedAt >= this.opts.recheckMs) {
      await this.refresh().catch(this.opts.onRefreshError);
    }
    return { keys: this.keys, version: this.version };
  }

  /** This process wrote `key`. */
  added(key: string): void {
    this.change(key, true);
  }

  /** This process deleted `key`. */
  removed(key: string): void {
    this.change(key, false);
  }

  /** One listing replaces the set (concurrent callers share it); the version moves only if the set changed. */
  refresh(): Promise<void> {
    return this.listings.run('listing', async () => {
      const startedAt = this.opts.now();
      const changes: Array<{ key: string; present: boolean }> = [];
      this.duringListing = changes;
      try {
        const listed = new Set<string>();
        for await (const key of this.opts.list()) listed.add(key);
        for (const { key, present } of changes) {
          if (present) listed.add(key);
          else listed.delete(key);
        }
        if (!sameKeys(listed, this.keys)) {
          this.keys = listed;
          this.version += 1;
        }
        this.listedAt = startedAt;
      } finally {
        this.duringListing = undefined;
      }
    });
  }

  /** The background relist; started by the first read (a set nobody reads is never listed). */
  start(): void {
    if (this.opts.recheckMs <= 0) return;
    this.refresher ??= new Every(Math.max(1, Math.floor(this.opts.recheckMs / 2)), () => this.refresh(), this.opts.onRefreshError);
    this.refresher.start();
  }

  stop(): void {
    this.refresher?.stop();
  }

  private change(key: string, present: boolean): void {
    this.duringListing?.push({ key, present });
    if (this.keys.has(key) === present) return;
    if (present) this.keys.add(key);
    else this.keys.delete(key);
    this.version += 1;
  }
}

function sameKeys(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const key of a) if (!b.has(key)) return false;
  return true;
}
