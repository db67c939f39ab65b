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
import { recordSet, type RecordSetOptions } from './lib/record-set';
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

/** One protocol lib's recorded set: where its upstream URL comes from and what is recorded of it. */
interface SetDefinition {
  flag: string;
  fromConfig: () => string | undefined;
  hint: string;
  options: (url: string) => Omit<RecordSetOptions, 'upstreams' | 'command'>;
}

const SETS: Record<'pypi' | 'npm', SetDefinition> = {
  pypi: {
    flag: 'pypi-index',
    fromConfig: () => clientConfig('pip', ['config', 'get', 'global.index-url']) ?? clientConfig('pip', ['config', 'get', ':env:.index-url']),
    hint: 'pip has no index-url configured',
    options: (index) => ({
      dir: path.join(ROOT, 'libs/pypi/protocol/src/__fixtures__/recorded'), title: 'pypi-protocol', fileRole: 'pypi-files',
      recordings: pypiRecordings(index), probeUrl: `${index}/six/`, probes: SIMPLE_ACCEPT_PROBES,
    }),
  },
  npm: {
    flag: 'npm-registry',
    fromConfig: () => clientConfig('npm', ['config', 'get', 'registry']),
    hint: 'npm has no registry configured',
    options: (registry) => ({
      dir: path.join(ROOT, 'libs/npm/protocol/src/__fixtures__/recorded'), title: 'npm-protocol', fileRole: 'npm-tarballs',
      recordings: npmRecordings(registry), probeUrl: `${registry}/is-number`, probes: PACKUMENT_ACCEPT_PROBES,
      followUps: (captured) => {
        const packument = captured.get('sigstore-sign');
        return packument?.status === 200 ? [attestationsRecording(registry, packument.body)] : [];
      },
    }),
  },
};

async function main(): Promise<void> {
  const only = flag('only');
  for (const [name, set] of Object.entries(SETS)) {
    if (only !== undefined && only !== name) continue;
    const url = upstreamUrl(set.flag, set.fromConfig, set.hint);
    await recordSet({ ...set.options(url), upstreams: [{ url, role: set.flag }], command: `${COMMAND} --${set.flag} <URL>` });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
