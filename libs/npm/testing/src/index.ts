export { startFixtureRegistry, type FixtureRegistry, type FixtureVersion } from './lib/fixture-registry';
