export {
  isValidPackageName, isValidNewPackageName, newPackageNameProblem, scopeOf, scopelessName, upstreamPathSegment, tarballFilename,
  versionFromFilename, tarballPath,
} from './lib/package-name';
export { normalizeNpmPath } from './lib/request-path';
export { wantsAbbreviated, ABBREVIATED_MEDIA_TYPE } from './lib/accept';
export { expectedDigestOf, digestsOf, type ExpectedDigest, type TarballDigests } from './lib/integrity';
export {
  abbreviatePackument, abbreviateVersion, hoistLatestFields, nextRevision, withSafeMaps, manifestFor,
  type Packument, type AbbreviatedPackument, type VersionManifest, type Dist, type Person,
} from './lib/packument';
export { packumentModified, mergePackumentTimes } from './lib/packument-time';
export {
  REGISTRY_KEY_TYPE, registryKeyId, pemOfKeyEntry, parseKeysDocument, mergeKeysDocuments, type RegistryKeyEntry, type KeysDocument,
} from './lib/registry-keys';
export {
  generateSigningKeyPem, loadSigningKey, keysDocumentEntry, signatureMessage, signedIntegrityOf, signMessage, signVersion,
  withoutRegistryAssertions, verifyRegistrySignatures, type RegistrySigningKey, type SignatureCheck,
} from './lib/registry-signatures';
export { attestationsPath, parseAttestationsPath, withAttestationsUrl } from './lib/attestations';
export { versionWithRegistryUrls, withRegistryUrls } from './lib/registry-urls';
export { isValidVersion, highestVersion, isValidDistTag, distTagProblem } from './lib/versions';
export { parsePublishBody, isPublishBody, type PublishRequest } from './lib/publish-body';
export { haystackMatches, matchesSearchText, searchHaystack, searchWords, toSearchObject, type SearchObject, type SearchResponse } from './lib/search';
export {
  parseBulkAdvisoryRequest, splitBulkAdvisoryRequest, parseBulkAdvisoryResponse, mergeBulkAdvisories, legacyAuditNames, filterLegacyAuditBody,
  type BulkAdvisoryRequest, type BulkAdvisoryResponse, type BulkAdvisory,
} from './lib/advisories';
