// Deployment checks: helm lint/template, offline Kubernetes schema validation, compose-spec schema,
// hadolint, and the variable-name contract with apps/*/src/config.ts. The tools are installed (cached)
// by install-tools.sh from global setup; cold, that is a `go install` of helm (1-3 minutes).
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'deploy-checks',
  rootDir: __dirname,
  globalSetup: '<rootDir>/src/global-setup.ts',
  testTimeout: 120_000,
};
