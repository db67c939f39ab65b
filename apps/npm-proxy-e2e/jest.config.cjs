// Real clients against the built proxy: minutes, not seconds, per suite.
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'npm-proxy-e2e', rootDir: __dirname, testTimeout: 240_000 };
