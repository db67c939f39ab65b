import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');

/** Lints `source` as if it lived at `file` (stdin, so the tree is never touched) and returns the messages. */
function lint(file: string, source: string): string {
  try {
    execFileSync('npx', ['eslint', '--no-warn-ignored', '--stdin', '--stdin-filename', file], { cwd: root, input: source, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
    return '';
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? err);
  }
}

describe('module boundaries (eslint.config.mjs)', () => {
  it('accepts a proxy importing shared libs', () => {
    expect(lint('apps/pypi-proxy/src/probe.ts', "import { AppError } from '@registry/shared-errors';\nexport const x = AppError;\n")).toBe('');
  });

  it.each([
    ['a proxy importing kafkajs', 'apps/pypi-proxy/src/probe.ts', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;\n", /not allowed to import "kafkajs"/],
    ['npm code importing pypi code', 'apps/npm-proxy/src/probe.ts', "import * as p from '@registry/pypi-protocol';\nexport const x = p;\n", /scope:npm" can only depend/],
    ['a proxy importing the S3 SDK', 'apps/npm-proxy/src/probe.ts', "import { S3Client } from '@aws-sdk/client-s3';\nexport const x = S3Client;\n", /not allowed to import "@aws-sdk\/client-s3"/],
    ['protocol code importing express', 'libs/pypi/protocol/src/probe.ts', "import express from 'express';\nexport const x = express;\n", /not allowed to import "express"/],
    ['a lib reading process.env', 'libs/npm/service/src/probe.ts', 'export const x = process.env.FOO;\n', /Read configuration through the app config schema/],
    ['production code importing test helpers', 'apps/pypi-proxy/src/probe.ts', "import { waitFor } from '@registry/shared-testing';\nexport const x = waitFor;\n", /Test helpers are for spec files only|can only depend/],
  ])('rejects %s', (_what, file, source, message) => {
    expect(lint(file, source)).toMatch(message);
  });
});
