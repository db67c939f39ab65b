import { existsSync } from 'node:fs';
import path from 'node:path';

/** The workspace root (the directory holding nx.json), found from this file upwards. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'nx.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no nx.json above ${from}`);
  }
}
