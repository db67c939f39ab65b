import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Comments cite the protocol facts as `protocols §x.y` (docs/protocols.md); every cited section must exist there,
 * no comment points at a protocols file outside the repository, and none cites a work item by its number: such a
 * number means nothing to a reader of the code, so a comment says the reason instead.
 */
const root = path.resolve(__dirname, '../../..');
const doc = readFileSync(path.join(root, 'docs/protocols.md'), 'utf8');

function sectionsOfDoc(): Set<string> {
  const sections = new Set<string>();
  let inEdgeCases = false;
  for (const line of doc.split('\n')) {
    const heading = /^#{2,3} (\d+(?:\.\d+)?)\.? /.exec(line);
    if (heading) {
      sections.add(heading[1] as string);
      inEdgeCases = heading[1] === '8';
      continue;
    }
    const item = /^(\d+)\. /.exec(line);
    if (inEdgeCases && item) sections.add(`8.${item[1]}`);
  }
  return sections;
}

function sourceFiles(): string[] {
  return execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'apps', 'libs', 'tools', 'docs', 'README.md'], { cwd: root, encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|mjs|cjs|md)$/.test(f) && f !== 'docs/protocols.md');
}

describe('protocol citations', () => {
  const sections = sectionsOfDoc();

  it('finds every cited section in docs/protocols.md', () => {
    const missing: string[] = [];
    for (const file of sourceFiles()) {
      const text = readFileSync(path.join(root, file), 'utf8');
      // `protocols §3.5`, and the sections that follow it in one citation: `protocols §4.8, §8.24` or `§4.2-§4.4`.
      for (const citation of text.matchAll(/protocols §[\d.]+(?:(?:, |; |-)§?[\d.]+)*/g)) {
        for (const cited of citation[0].matchAll(/(\d+(?:\.\d+)?)/g)) {
          if (!sections.has(cited[1] as string)) missing.push(`${file}: §${cited[1]}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('has no reference to a protocols file outside the repository', () => {
    const outside = sourceFiles().filter((file) => /shared\/docs\/protocols/.test(readFileSync(path.join(root, file), 'utf8')));
    expect(outside).toEqual([]);
  });

  it('has no comment or test name that cites an issue number instead of saying the reason', () => {
    const code = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'apps', 'libs', 'tools', 'infra', 'proto'], { cwd: root, encoding: 'utf8' })
      .split('\n')
      .filter((f) => /\.(ts|mjs|cjs|js|py|sh|sql|proto|ya?ml)$/.test(f));
    const citing = code.filter((file) => /\bissue \d+/i.test(readFileSync(path.join(root, file), 'utf8')));
    expect(citing).toEqual([]);
  });
});
