// Public API of pypi-upstream: the upstream index adapter (implements pypi-service's PypiUpstream port).
export { createPypiUpstream, type PypiUpstreamClient, type PypiUpstreamOptions, type UpstreamPageResult } from './lib/pypi-upstream';
