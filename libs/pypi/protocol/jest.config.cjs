module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'pypi-protocol', rootDir: __dirname };
