import { readFileSync } from 'node:fs';
import path from 'node:path';

/** One recorded upstream exchange, as `tools/fixture-recorder` lists it in `recordings.json`. */
export interface RecordedExchange {
  name: string;
  file: string | null;
  method: string;
  path: string;
  accept: string | null;
  status: number;
  headers: Record<string, string>;
  trimmed: string | null;
}

export interface RecordedFixtures {
  recordedAt: string;
  exchange(name: string): RecordedExchange;
  /** The recorded body of an exchange (fails the test when that exchange kept none). */
  body(name: string): string;
  /** What upstream answered for each Accept header probed on one URL. */
  negotiation: { path: string; probes: Array<{ accept: string | null; status: number; contentType: string | null }> };
}

/** Reads a `recorded/` directory written by the fixture recorder. */
export function loadRecordedFixtures(dir: string): RecordedFixtures {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'recordings.json'), 'utf8')) as {
    recordedAt: string;
    recordings: RecordedExchange[];
    negotiation: RecordedFixtures['negotiation'];
  };
  const exchange = (name: string): RecordedExchange => {
    const found = manifest.recordings.find((r) => r.name === name);
    if (found === undefined) throw new Error(`no recorded exchange named ${name} in ${dir}`);
    return found;
  };
  return {
    recordedAt: manifest.recordedAt,
    exchange,
    body: (name) => {
      const file = exchange(name).file;
      if (file === null) throw new Error(`the recorded exchange ${name} kept no body`);
      return readFileSync(path.join(dir, file), 'utf8');
    },
    negotiation: manifest.negotiation,
  };
}
