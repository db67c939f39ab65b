module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'web-console', rootDir: __dirname };
