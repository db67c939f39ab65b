#!/usr/bin/env node
// The audit-proto `codegen` target: lint the protos, regenerate src/generated from scratch (no stale
// files survive a removed message), then mark each file `@ts-nocheck`. Why: the pinned @types/node
// (20.9) types Buffer against an older Uint8Array than TypeScript 5.9's lib, so ts-proto's
// `(value: Buffer) => X.decode(value)` fails to type-check although it is correct at run time.
// The generated types are still exported and checked at every call site.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const out = 'libs/audit/proto/src/generated';
const buf = path.join('node_modules', '.bin', 'buf');
rmSync(out, { recursive: true, force: true });
execFileSync(buf, ['lint', 'proto'], { stdio: 'inherit' });
execFileSync(buf, ['generate', 'proto', '--template', 'proto/buf.gen.yaml'], { stdio: 'inherit' });

const walk = (dir) => readdirSync(dir).flatMap((f) => {
  const full = path.join(dir, f);
  return statSync(full).isDirectory() ? walk(full) : full.endsWith('.ts') ? [full] : [];
});
for (const file of walk(out)) writeFileSync(file, `// @ts-nocheck\n${readFileSync(file, 'utf8')}`);
console.log(`generated ${out}`);
