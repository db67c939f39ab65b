module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'pypi-service', rootDir: __dirname };
