module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'npm-service', rootDir: __dirname };
