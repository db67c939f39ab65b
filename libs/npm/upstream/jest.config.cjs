module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'npm-upstream', rootDir: __dirname };
