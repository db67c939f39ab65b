import { Every } from '@registry/shared-util';
import { affectedEntries, atLeast, isAffected, isMalicious, packageKey, severityOf, type Ecosystem, type OsvAffected, type OsvRecord, type Severity } from './osv';
import type { OsvSource } from './osv-source';

/** A blocking advisory for one version: which record, and why it blocks. */
export interface AdvisoryMatch {
  id: string;
  malicious: boolean;
  severity: string | undefined;
  summary: string | undefined;
}

interface Entry {
  record: OsvRecord;
  affected: OsvAffected;
  ecosystem: Ecosystem;
}

/**
 * The advisory and malware feed (OSV records), indexed by package, reread every `refreshMs` with a
 * conditional read. Malicious records (`MAL-`) always block; others only at or above `blockSeverity` (off by
 * default). Withdrawn records never block. The last good index stays when a refresh fails.
 */
export class AdvisoryFeed {
  private index = new Map<string, Entry[]>();
  private etag: string | undefined;
  private refresher: Every | undefined;
  /** When each record id was first seen by this instance (ms). */
  private readonly firstSeen = new Map<string, number>();
  private loadedAt: number | undefined;

  constructor(private readonly opts: {
    source: OsvSource; refreshMs: number; blockSeverity: Severity | undefined; now: () => number; onRefreshError: (err: unknown) => void;
  }) {}

  get location(): string {
    return this.opts.source.location;
  }

  /** Number of records in force and when the feed was last read, for the admin view. */
  status(): { location: string; records: number; loadedAt: string | null } {
    const ids = new Set<string>();
    for (const list of this.index.values()) for (const e of list) ids.add(e.record.id);
    return { location: this.location, records: ids.size, loadedAt: this.loadedAt === undefined ? null : new Date(this.loadedAt).toISOString() };
  }

  async refresh(): Promise<void> {
    const read = await this.opts.source.read(this.etag);
    this.loadedAt = this.opts.now();
    if (read === 'not_modified') return;
    const index = new Map<string, Entry[]>();
    for (const record of read.records) {
      if (record.withdrawn !== undefined) continue;
      if (!this.firstSeen.has(record.id)) this.firstSeen.set(record.id, this.loadedAt);
      for (const { key, ecosystem, affected } of affectedEntries(record)) {
        const list = index.get(key) ?? [];
        list.push({ record, affected, ecosystem });
        index.set(key, list);
      }
    }
    this.index = index;
    this.etag = read.etag;
  }

  start(): void {
    this.refresher ??= new Every(this.opts.refreshMs, () => this.refresh(), this.opts.onRefreshError);
    this.refresher.start();
  }

  stop(): void {
    this.refresher?.stop();
  }

  /** Whether any record names this package (the cheap test before any version is compared). */
  names(ecosystem: Ecosystem, name: string): boolean {
    return this.index.has(packageKey(ecosystem, name));
  }

  /** Every record affecting this version, blocking or not. */
  affecting(ecosystem: Ecosystem, name: string, version: string): OsvRecord[] {
    const out: OsvRecord[] = [];
    for (const e of this.index.get(packageKey(ecosystem, name)) ?? []) {
      if (isAffected(e.affected, ecosystem, version) && !out.includes(e.record)) out.push(e.record);
    }
    return out;
  }

  /** The first record that blocks this version (malware first), if any. */
  blocking(ecosystem: Ecosystem, name: string, version: string): AdvisoryMatch | undefined {
    let found: AdvisoryMatch | undefined;
    for (const e of this.index.get(packageKey(ecosystem, name)) ?? []) {
      const malicious = isMalicious(e.record);
      const severity = severityOf(e.record, e.affected);
      const blocks = malicious || (this.opts.blockSeverity !== undefined && atLeast(severity, this.opts.blockSeverity));
      if (!blocks || !isAffected(e.affected, ecosystem, version)) continue;
      const match = { id: e.record.id, malicious, severity, summary: e.record.summary };
      if (malicious) return match;
      found ??= match;
    }
    return found;
  }
}
