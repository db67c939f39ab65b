export { createReadThrough, memoryTierOf, type ReadThroughOptions } from './lib/read-through';
export type { MemoryTierLimits } from './lib/read-through';
export type { BlobAnswer, DownloadRedirect, ReadThrough, ReadThroughResult, OpenOptions, ReadOptions, UpstreamFill, UpstreamBody } from './lib/types';
export {
  UpstreamDocumentCache, type UpstreamDocumentCacheOptions, type UpstreamDocumentSettings, type UpstreamDocumentSource, type UpstreamDocument, type UpstreamLookup, type UpstreamFetch,
} from './lib/upstream-documents';
export { ALWAYS_HEALTHY, SYSTEM_CLOCK, type Clock, type UpstreamHealth } from './lib/upstream-documents';
export { verbatimJson, type VerbatimDocument } from './lib/verbatim-document';
export { assertClaimable, claimableNames, type ClaimCheck } from './lib/upstream-claims';
