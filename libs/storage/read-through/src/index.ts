export { createReadThrough, type ReadThroughOptions } from './lib/read-through';
export type { ReadThrough, ReadThroughResult, FetchThroughOptions, UpstreamBody } from './lib/types';
