module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'audit-testing', rootDir: __dirname };
