module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'audit-proto', rootDir: __dirname };
