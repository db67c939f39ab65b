module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'storage-blob-store-from-config', rootDir: __dirname };
