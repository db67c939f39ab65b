import { appendFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAuditEvent } from '@registry/audit-event';
import { silentLogger } from '@registry/shared-logger';
import { toAuditRecord } from './audit-record';
import { Spool } from './spool';

const records = (n: number, tag: string) =>
  Array.from({ length: n }, (_, i) => toAuditRecord(createAuditEvent({ event_type: 'pypi.package.upload', status_code: 201, package: 'demo', event_id: `${tag}-${i}` })));
const idsOf = (rs: { value: string }[]) => rs.map((r) => JSON.parse(r.value).extra.event_id);

describe('Spool', () => {
  let dir: string;
  const open = async (maxBytes = 1_000_000, segmentBytes = 1_000) => {
    const spool = new Spool(dir, { maxBytes, segmentBytes, retryAfterMs: 100, logger: silentLogger });
    await spool.open();
    return spool;
  };
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'spool-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('hands segments back oldest first, with keys, and forgets removed ones', async () => {
    const spool = await open();
    await spool.append(records(3, 'a'));
    await spool.append(records(3, 'b'));
    const ids: string[] = [];
    for (let seg = await spool.oldest(); seg; seg = await spool.oldest()) {
      expect(seg.records[0]?.key).toBe('pypi:demo');
      ids.push(...idsOf(seg.records));
      await spool.remove(seg.seq);
    }
    expect(ids).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2']);
    expect(spool.isEmpty()).toBe(true);
    expect(await readdir(dir)).toEqual([]);
  });

  it('survives a restart and skips a torn last line (a write that was never acknowledged)', async () => {
    const first = await open();
    await first.append(records(2, 'x'));
    await first.close();
    const [file] = await readdir(dir);
    await appendFile(path.join(dir, file!), '{"timestamp":"2026-01-0'); // crash mid-write
    const second = await open();
    expect(second.events).toBe(2);
    expect(idsOf((await second.oldest())!.records)).toEqual(['x-0', 'x-1']);
    await second.append(records(1, 'y')); // goes to a new segment, never after the torn bytes
    expect((await readdir(dir)).length).toBe(2);
    await second.close();
  });

  it('refuses an append that would pass its bound, with a retry hint, and keeps what it has', async () => {
    const spool = await open(1_500);
    await spool.append(records(2, 'a'));
    await expect(spool.append(records(5, 'b'))).rejects.toMatchObject({ code: 'resource_exhausted', details: { retryAfterMs: 100 } });
    expect(spool.events).toBe(2);
    await spool.close();
  });
});
