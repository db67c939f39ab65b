import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConsumedAuditMessage } from './consumed-audit-message';

const run = promisify(execFile);

/**
 * Reads the whole topic with kcat (Debian package `kcat`), a consumer no one here wrote: from the
 * beginning of every partition to its current end (-e), key and value per line.
 */
export async function readWithKcat(brokers: string, topic: string): Promise<ConsumedAuditMessage[]> {
  let stdout: string;
  try {
    ({ stdout } = await run('kcat', ['-C', '-b', brokers, '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k\\t%s\\n'], {
      maxBuffer: 512 * 1024 * 1024,
      timeout: 120_000,
    }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error('kcat is not installed: tools/services/install.sh installs it (apt-get install -y kcat)');
    throw err;
  }
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const tab = line.indexOf('\t');
      const value = line.slice(tab + 1);
      return { key: line.slice(0, tab), value, event: JSON.parse(value) };
    });
}
