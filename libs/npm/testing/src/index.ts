export { startFixtureRegistry, type FixtureRegistry, type FixtureRegistryOptions, type FixtureVersion } from './lib/fixture-registry';
