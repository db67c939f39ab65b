module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'auth-identity', rootDir: __dirname };
