module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'npm-protocol', rootDir: __dirname };
