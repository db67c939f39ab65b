module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'audit-event', rootDir: __dirname };
