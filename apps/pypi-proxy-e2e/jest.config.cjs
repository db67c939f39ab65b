// Real pip/uv/poetry/twine against the built proxy: minutes, not seconds, per suite.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'pypi-proxy-e2e',
  rootDir: __dirname,
  testTimeout: 240_000,
  globalSetup: '<rootDir>/global-setup.cjs',
};
