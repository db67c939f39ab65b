import { expectSameVariables } from './expect-same-variables';

describe('expectSameVariables', () => {
  it('passes on the same names in any order', () => {
    expect(() => expectSameVariables('f', 'app', ['B', 'A'], ['A', 'B'])).not.toThrow();
  });

  it('names the missing and the unknown variables and where to fix them', () => {
    expect(() => expectSameVariables('infra/x.yml', 'pypi-proxy', ['A', 'TYPO'], ['A', 'NEW'])).toThrow(
      /infra\/x\.yml: pypi-proxy[\s\S]*not set here.*: NEW[\s\S]*unknown to the app.*: TYPO/,
    );
  });
});
