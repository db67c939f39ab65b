module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'storage-read-through', rootDir: __dirname };
