// Public API of pypi-upstream.
export { createPypiUpstream, type PypiUpstream, type PypiUpstreamOptions, type UpstreamPageResult, type UpstreamFile } from './lib/pypi-upstream';
