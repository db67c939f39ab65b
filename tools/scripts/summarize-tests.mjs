#!/usr/bin/env node
// Adds up the Jest JSON reports (and pytest's junit XML) under .test-results into one closing line; other files
// there (screenshots, the fuzzer's counts) are artefacts and are passed over.
import { readdirSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let files = 0;
for (const entry of readdirSync('.test-results', { withFileTypes: true })) {
  const f = entry.name;
  if (!entry.isFile() || !(f.endsWith('.json') || f.endsWith('.xml'))) continue; // artefact folders, screenshots
  const text = readFileSync(`.test-results/${f}`, 'utf8');
  if (f.endsWith('.json')) {
    const r = JSON.parse(text);
    // Only Jest reports count; other JSON artefacts (the fuzzer's counts) are kept beside them.
    if (typeof r.numPassedTests !== 'number') continue;
    passed += r.numPassedTests;
    failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
    files += 1;
  } else if (f.endsWith('.xml')) {
    const m = /<testsuite[^>]*\btests="(\d+)"[^>]*/.exec(text);
    const attr = (name) => Number(new RegExp(`\\b${name}="(\\d+)"`).exec(m?.[0] ?? '')?.[1] ?? 0);
    const total = attr('tests');
    const bad = attr('failures') + attr('errors');
    passed += total - bad - attr('skipped');
    failed += bad;
    files += 1;
  }
}
console.log(`${files} reports`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
