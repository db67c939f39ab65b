export {
  isValidPackageName, isValidNewPackageName, scopeOf, scopelessName, upstreamPathSegment, tarballFilename,
  versionFromFilename, tarballPath,
} from './lib/package-name';
export { normalizeNpmPath } from './lib/request-path';
export { wantsAbbreviated, ABBREVIATED_MEDIA_TYPE } from './lib/accept';
export { expectedDigestOf, digestsOf, type ExpectedDigest, type TarballDigests } from './lib/integrity';
export {
  abbreviatePackument, abbreviateVersion, withTarballUrls, hoistLatestFields, nextRevision,
  type Packument, type AbbreviatedPackument, type VersionManifest, type Dist, type Person,
} from './lib/packument';
export { isValidVersion, highestVersion, isValidDistTag } from './lib/versions';
export { parsePublishBody, isPublishBody, type PublishRequest } from './lib/publish-body';
export { matchesSearchText, toSearchObject, type SearchObject, type SearchResponse } from './lib/search';
