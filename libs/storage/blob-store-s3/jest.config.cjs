module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'storage-blob-store-s3', rootDir: __dirname };
