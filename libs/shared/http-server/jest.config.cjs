module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'shared-http-server', rootDir: __dirname };
