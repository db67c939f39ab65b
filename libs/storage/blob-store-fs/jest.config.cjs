module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'storage-blob-store-fs', rootDir: __dirname };
