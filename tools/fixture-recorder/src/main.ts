/**
 * Re-records the upstream answers the protocol libraries are tested against (PyPI simple pages, the Integrity
 * API, npm packuments, keys and attestations) and writes them, sanitized, under each protocol lib's
 * `src/__fixtures__/recorded/`.
 *
 *   npx tsx tools/fixture-recorder/src/main.ts [--pypi-index <simple index URL>] [--npm-registry <registry URL>] [--only pypi|npm]
 *
 * Without a flag the URL comes from the machine's client configuration (`pip config get global.index-url`,
 * `npm config get registry`). Upstream URLs are never written in the repository.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { recordSet } from './lib/record-set';
import { attestationsRecording, npmRecordings, PACKUMENT_ACCEPT_PROBES, pypiRecordings, SIMPLE_ACCEPT_PROBES } from './lib/recordings';

const ROOT = path.resolve(__dirname, '../../..');
const COMMAND = 'npx tsx tools/fixture-recorder/src/main.ts';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A client's configured URL, or undefined when the client is missing or has none set. */
function clientConfig(command: string, args: string[]): string | undefined {
  try {
    const value = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return /^https?:\/\//.test(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function upstreamUrl(name: string, fromConfig: () => string | undefined, hint: string): string {
  const url = flag(name) ?? fromConfig();
  if (url === undefined) throw new Error(`no ${name} URL: pass --${name} <url> (${hint})`);
  return url.replace(/\/+$/, '');
}

async function main(): Promise<void> {
  const only = flag('only');
  if (only !== 'npm') {
    const index = upstreamUrl('pypi-index', () => clientConfig('pip', ['config', 'get', 'global.index-url']) ?? clientConfig('pip', ['config', 'get', ':env:.index-url']), 'pip has no index-url configured');
    await recordSet({
      dir: path.join(ROOT, 'libs/pypi/protocol/src/__fixtures__/recorded'),
      title: 'pypi-protocol',
      upstreams: [{ url: index, role: 'pypi-index' }],
      fileRole: 'pypi-files',
      recordings: pypiRecordings(index),
      probeUrl: `${index}/six/`,
      probes: SIMPLE_ACCEPT_PROBES,
      command: `${COMMAND} --pypi-index <simple index URL>`,
    });
  }
  if (only !== 'pypi') {
    const registry = upstreamUrl('npm-registry', () => clientConfig('npm', ['config', 'get', 'registry']), 'npm has no registry configured');
    await recordSet({
      dir: path.join(ROOT, 'libs/npm/protocol/src/__fixtures__/recorded'),
      title: 'npm-protocol',
      upstreams: [{ url: registry, role: 'npm-registry' }],
      fileRole: 'npm-tarballs',
      recordings: npmRecordings(registry),
      followUps: (captured) => {
        const packument = captured.get('sigstore-sign');
        return packument?.status === 200 ? [attestationsRecording(registry, packument.body)] : [];
      },
      probeUrl: `${registry}/is-number`,
      probes: PACKUMENT_ACCEPT_PROBES,
      command: `${COMMAND} --npm-registry <registry URL>`,
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
