import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * House rule: no upstream registry host name is written into the repository (upstream URLs are
 * configuration). The deny-list is kept as truncated sha256 digests so this test does not itself
 * name the hosts it forbids: the public npm, PyPI (index and files), yarn mirror, Maven Central,
 * Go proxy, crates, Debian and common mirror hosts.
 */
const FORBIDDEN_HOST_DIGESTS = new Set(
  '0dc11026ac75c015,8743857e3ea00fd1,3ca29e55be4befa4,a4aa2ac280bb8d1a,c899567ee9068517,8b5bb5eb9d758455,70bb4000cd2fab03,317d2d52829b7812,43c04ed1dabe979b,00a7dc5a0cc38858,789e46d79514e280,eb7e11c7f9ecbcf4,3d01f3609be82d98,e680c440a2e92079,05b16d11407cc4e4,9495278a74715c7e'.split(','),
);

const root = path.resolve(__dirname, '../../..');
const digest = (host: string) => createHash('sha256').update(host.toLowerCase()).digest('hex').slice(0, 16);
const HOST_TOKEN = /[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+/gi;

function repositoryTextFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' });
  return listed
    .split('\0')
    .filter((f) => f && !f.endsWith('package-lock.json'))
    .filter((f) => {
      try {
        const st = statSync(path.join(root, f));
        return st.isFile() && st.size < 5_000_000;
      } catch {
        return false;
      }
    });
}

describe('no upstream registry host in the repository', () => {
  it('finds none in any tracked or new file', () => {
    const offenders: string[] = [];
    for (const file of repositoryTextFiles()) {
      const text = readFileSync(path.join(root, file), 'utf8');
      if (text.includes('\0')) continue; // binary
      for (const token of new Set(text.match(HOST_TOKEN) ?? [])) {
        if (FORBIDDEN_HOST_DIGESTS.has(digest(token))) offenders.push(`${file}: ${digest(token)}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('package-lock.json records no registry URLs (omit-lockfile-registry-resolved)', () => {
    const lock = readFileSync(path.join(root, 'package-lock.json'), 'utf8');
    expect(lock).not.toMatch(/"resolved":\s*"https?:/);
  });

  it('would catch one (the check can fail)', () => {
    expect(FORBIDDEN_HOST_DIGESTS.has(digest(['registry', 'npmjs', 'org'].join('.')))).toBe(true);
  });
});
