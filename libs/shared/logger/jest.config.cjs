module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'shared-logger', rootDir: __dirname };
