module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'pypi-testing', rootDir: __dirname };
