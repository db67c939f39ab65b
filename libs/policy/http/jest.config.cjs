module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'policy-http', rootDir: __dirname };
