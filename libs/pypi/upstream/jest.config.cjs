module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'pypi-upstream', rootDir: __dirname };
