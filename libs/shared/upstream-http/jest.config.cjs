module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'shared-upstream-http', rootDir: __dirname };
