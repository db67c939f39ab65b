export {
  createUpstreamClient,
  type UpstreamClient,
  type UpstreamClientOptions,
  type UpstreamMethod,
  type UpstreamRequestOptions,
  type UpstreamResponse,
} from './lib/upstream-client';
export { readBuffer, readText, readJson, discardBody } from './lib/read-body';
export { conditionalGet, type ConditionalGetOptions, type ConditionalGetResult } from './lib/conditional-get';
export { UpstreamHealthState, type UpstreamHealthOptions, type UpstreamState } from './lib/upstream-health';
export type { UpstreamClientHealthOptions } from './lib/upstream-client';
