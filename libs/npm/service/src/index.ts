// Public API of npm-service: the npm registry's use-cases behind one facade, transport-free.
export { createNpmService, type NpmService, type NpmServiceDeps } from './lib/npm-service';
export type { NpmUpstream, PrivateAdvisories } from './lib/ports';
export type { AuditAnswer } from './lib/audit-requests';
export type { AttestationsAnswer, RegistrySigning } from './lib/registry-assertions';
export type { ResolvedPackage } from './lib/package-reader';
export type { PackageState, TarballOrigin, UpstreamPolicy } from './lib/package-reader';
export type { RenderedPackument } from './lib/rendered-packument';
export type { ServedPackument } from './lib/served-packument';
export type { Tarball, TarballRequest } from './lib/tarballs';
export type { ChangeResult } from './lib/package-changes';
export type { SearchAnswer, SearchQuery } from './lib/search-service';
export { parsePublishRules, type PublishRule, type Actor } from './lib/publish-rules';
