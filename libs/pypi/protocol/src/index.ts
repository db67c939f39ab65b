// Public API of pypi-protocol: the simple API model, its parsing and rendering, names and filenames,
// PEP 740 attestations and provenance, PEP 792 project status.
export { normalizeProjectName, isValidProjectName } from './lib/normalize-project-name';
export { parseDistributionFilename, filenameMatches, sameDistributionFilename, type DistributionFilename, type DistributionKind } from './lib/distribution-filename';
export { acceptableOffers } from './lib/acceptable-offers';
export { negotiateSimpleFormat, mediaTypeOf, type SimpleFormat } from './lib/negotiate-simple-format';
export { SIMPLE_API_VERSION, simpleApiVersionOf, lastSerialHeader, type DistributionFile, type ProjectPage } from './lib/project-page';
export { renderProjectPage, renderProjectHtml, renderProjectJson } from './lib/render-project-page';
export { renderProjectList } from './lib/render-project-list';
export { parseUpstreamPage, SimplePageParseError, type UpstreamPageHeaders } from './lib/parse-upstream-page';
export { proxiedUpstreamFile, type ProxiedFileOptions } from './lib/proxied-file';
export {
  PROJECT_STATUS_MARKERS, MAX_STATUS_REASON_LENGTH, isProjectStatusMarker, parseProjectStatus, statusAllowsUploads, statusOffersFiles,
  applyProjectStatus, type ProjectStatus, type ProjectStatusMarker,
} from './lib/project-status';
export {
  parseUploadAttestations, checkAttestation, SUPPORTED_PREDICATE_TYPES, MAX_ATTESTATIONS, MAX_ATTESTATIONS_FIELD_BYTES,
  type Attestation, type AttestationStatement,
} from './lib/attestations';
export {
  INTEGRITY_MEDIA_TYPES, negotiateIntegrityFormat, integrityProvenancePath, parseIntegrityProvenancePath, proxiedProvenanceUrl,
  buildProvenance, isProvenance, type IntegrityMediaType, type ProvenanceLocation, type Provenance, type AttestationBundle, type Publisher,
} from './lib/provenance';
export { listZipEntries, readZipEntry, bufferSource, ZipFormatError, type RandomAccessSource, type ZipEntry } from './lib/zip-reader';
export { readWheelMetadata, coreMetadataField, wheelMetadataMismatch } from './lib/wheel-metadata';
export { parseCoreMetadata, type CoreMetadata } from './lib/core-metadata';
export { normalizePep440Version, sameVersion } from '@registry/shared-pep440';
export { parseUpstreamProjectList } from './lib/parse-upstream-project-list';
