module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'npm-testing', rootDir: __dirname };
