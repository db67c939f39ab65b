// Counts the source files (and Nx projects) whose code runs while the app answers one request: the "request
// walk" a newcomer follows. V8 precise coverage is reset just before the request and read right after it, so
// only functions called while it was served count (start-up and module loading do not).
// Usage: npx tsx --tsconfig tsconfig.base.json tools/request-walk/walk.ts [--list]
import { Session } from 'node:inspector/promises';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scenarios } from './scenarios';

const root = path.resolve(__dirname, '../..');
/** Test support (fixture upstreams, distribution builders) and the walk itself are not part of the product. */
const NOT_PRODUCT = [/\/libs\/[^/]+\/testing\//, /\/tools\//, /\.spec\.ts$/];

export interface Scenario {
  name: string;
  /** Builds the app (and whatever it talks to); returns the request to measure and a warm-up request. */
  setup(dataDir: string): Promise<{ app: (req: never, res: never) => void; warmUp(url: string): Promise<void>; measured(url: string): Promise<number>; close(): Promise<void> }>;
}

function projectOf(file: string): string {
  const rel = path.relative(root, file).split(path.sep);
  const srcAt = rel.indexOf('src');
  return rel.slice(0, srcAt < 0 ? 2 : srcAt).join('/');
}

async function walk(session: Session, scenario: Scenario): Promise<{ files: string[]; status: number }> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'request-walk-'));
  const built = await scenario.setup(dataDir);
  const server: Server = createServer(built.app as never);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  try {
    await built.warmUp(url);
    await session.post('Profiler.takePreciseCoverage');
    const status = await built.measured(url);
    const { result } = await session.post('Profiler.takePreciseCoverage');
    const files = new Set<string>();
    for (const script of result) {
      if (!script.url.startsWith('file://')) continue;
      const file = fileURLToPath(script.url);
      if (!file.startsWith(root) || file.includes('node_modules') || NOT_PRODUCT.some((re) => re.test(file))) continue;
      if (script.functions.some((fn) => fn.ranges.some((r) => r.count > 0))) files.add(file);
    }
    return { files: [...files].sort(), status };
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await built.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });
  for (const scenario of scenarios) {
    const { files, status } = await walk(session, scenario);
    const projects = new Set(files.map(projectOf));
    console.log(`${scenario.name}: status ${status}, ${files.length} files in ${projects.size} projects`);
    if (process.argv.includes('--list')) {
      for (const project of [...projects].sort()) {
        console.log(`  ${project}`);
        for (const f of files.filter((x) => projectOf(x) === project)) console.log(`    ${path.relative(root, f)}`);
      }
    }
  }
  session.disconnect();
}

void main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
