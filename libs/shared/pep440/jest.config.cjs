module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'shared-pep440', rootDir: __dirname };
