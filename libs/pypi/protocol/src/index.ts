// Public API of pypi-protocol: the simple API model, its parsing and rendering, names and filenames.
export { normalizeProjectName, isValidProjectName } from './lib/normalize-project-name';
export { parseDistributionFilename, filenameMatches, type DistributionFilename, type DistributionKind } from './lib/distribution-filename';
export { negotiateSimpleFormat, mediaTypeOf, type SimpleFormat } from './lib/negotiate-simple-format';
export { SIMPLE_API_VERSION, type DistributionFile, type ProjectPage } from './lib/project-page';
export { renderProjectPage, renderProjectHtml, renderProjectJson } from './lib/render-project-page';
export { renderProjectList } from './lib/render-project-list';
export { parseUpstreamPage, SimplePageParseError } from './lib/parse-upstream-page';
export { listZipEntries, readZipEntry, bufferSource, ZipFormatError, type RandomAccessSource, type ZipEntry } from './lib/zip-reader';
export { readWheelMetadata, coreMetadataField } from './lib/wheel-metadata';
