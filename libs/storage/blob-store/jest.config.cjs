module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'storage-blob-store', rootDir: __dirname };
