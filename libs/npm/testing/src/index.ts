export { startFixtureRegistry, type FixtureRegistry, type FixtureRegistryOptions, type FixtureVersion } from './lib/fixture-registry';
export { startOfflineSigstore, type OfflineSigstore } from './lib/offline-sigstore';
