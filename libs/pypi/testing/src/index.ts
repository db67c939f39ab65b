// Public API of pypi-testing: helpers for spec and e2e files only.
export { startFixtureUpstream, type FixtureUpstream, type FixtureFile, type FileMode } from './lib/fixture-upstream';
export { makeWheel, makeSdist, coreMetadata, zipStored, sha256Hex, type BuiltDistribution, type DistributionSpec } from './lib/make-distributions';
export { makeAttestation, makeProvenance, PUBLISH_PREDICATE, SLSA_PREDICATE } from './lib/make-attestations';
