module.exports = { ...require('../../jest.preset.cjs'), displayName: 'fixture-recorder', rootDir: __dirname };
