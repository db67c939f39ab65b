module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'audit-http', rootDir: __dirname };
