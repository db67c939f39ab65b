// The issue-12 attacks and the fuzzer against the built proxies: a few minutes per run.
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'registry-abuse-e2e', rootDir: __dirname, testTimeout: 300_000 };
