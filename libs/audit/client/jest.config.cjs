module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'audit-client', rootDir: __dirname };
