import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.resolve(__dirname, '../../scripts/summarize-tests.mjs');

/** The suite's closing line adds up Jest and junit reports only; other artefacts never hide a failure. */
function summarize(files: Record<string, string>): { out: string; code: number | null } {
  const dir = mkdtempSync(path.join(tmpdir(), 'summary-'));
  mkdirSync(path.join(dir, '.test-results'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, '.test-results', name), text);
  mkdirSync(path.join(dir, '.test-results', 'screenshots')); // artefact folders sit beside the reports
  const run = spawnSync(process.execPath, [script], { cwd: dir, encoding: 'utf8' });
  return { out: run.stdout, code: run.status };
}

describe('summarize-tests', () => {
  const jest = (passed: number, failed: number) => JSON.stringify({ numPassedTests: passed, numFailedTests: failed, numRuntimeErrorTestSuites: 0 });
  const junit = '<testsuites><testsuite name="py" tests="5" failures="1" errors="0" skipped="1"></testsuite></testsuites>';

  it('counts Jest and junit reports and passes over other JSON artefacts (the fuzzer counts)', () => {
    const { out, code } = summarize({ 'a-test.json': jest(3, 0), 'py.xml': junit, 'registry-abuse-fuzz.json': JSON.stringify({ requestsSent: 10 }) });
    expect(out).toContain('2 reports');
    expect(out).toContain('6 passed, 1 failed');
    expect(code).toBe(1);
  });

  it('exits 0 only with passes and no failure', () => {
    expect(summarize({ 'a-test.json': jest(2, 0), 'fuzz.json': '{"statuses":{}}' }).code).toBe(0);
  });
});
