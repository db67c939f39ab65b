// Test-only API of web-console: a cookie-keeping browser for the console's component specs.
export { accountWithSession, consoleBrowser, type ConsoleBrowser } from './lib/testing-console-browser';
export { NO_USAGE_SNAPSHOT, storeUsageSnapshot, usageSnapshotOf, type UsageRowTuple } from './lib/testing-usage';
