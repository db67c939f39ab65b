export { createNpmUpstreamClient, type NpmUpstreamClient, type NpmUpstreamClientOptions, type NpmUpstreamPackument } from './lib/npm-upstream-client';
