module.exports = { ...require('../../../jest.preset.cjs'), displayName: 'policy-firewall', rootDir: __dirname };
