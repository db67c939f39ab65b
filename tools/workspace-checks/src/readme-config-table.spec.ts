import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildTable, readmeTable } from './env-table';

const root = path.resolve(__dirname, '../../..');

describe('README configuration table', () => {
  it('lists exactly the variables the apps accept, with their defaults (regenerate: npx tsx tools/workspace-checks/src/env-table.ts --write)', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readmeTable(readme)).toBe(buildTable());
  });

  it('gives every variable a meaning', () => {
    const rows = buildTable().split('\n').filter((l) => l.startsWith('| `'));
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.filter((r) => r.trimEnd().endsWith('|  |'))).toEqual([]);
  });
});
