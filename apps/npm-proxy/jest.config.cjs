module.exports = { ...require('../../jest.preset.cjs'), displayName: 'npm-proxy', rootDir: __dirname };
