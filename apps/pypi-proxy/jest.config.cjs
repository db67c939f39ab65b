module.exports = { ...require('../../jest.preset.cjs'), displayName: 'pypi-proxy', rootDir: __dirname };
