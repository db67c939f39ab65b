// Test support of audit-http (spec files only).
export { cacheRequestCounts } from './lib/testing/cache-request-counts';
