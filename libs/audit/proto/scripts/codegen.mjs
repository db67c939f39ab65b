#!/usr/bin/env node
// The audit-proto `codegen` target: lint the protos, then regenerate src/generated from scratch (no stale
// files survive a removed message). The output is type-checked like any other code.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';

const out = 'libs/audit/proto/src/generated';
const buf = path.join('node_modules', '.bin', 'buf');
rmSync(out, { recursive: true, force: true });
execFileSync(buf, ['lint', 'proto'], { stdio: 'inherit' });
execFileSync(buf, ['generate', 'proto', '--template', 'proto/buf.gen.yaml'], { stdio: 'inherit' });

console.log(`generated ${out}`);
