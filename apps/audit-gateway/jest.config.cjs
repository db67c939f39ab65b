module.exports = { ...require('../../jest.preset.cjs'), displayName: 'audit-gateway', rootDir: __dirname };
