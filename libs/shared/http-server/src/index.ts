export { HTTP_STATUS } from './lib/http-status';
export { createHttpMetrics, type HttpMetrics } from './lib/metrics';
export type { ErrorBody } from './lib/error-handler';
export { createHttpApp, finishHttpApp, registryReadiness, type HttpAppOptions, type ReadinessCheck, type ServedApp } from './lib/create-http-app';
export { startHttpServer, type RunningHttpServer } from './lib/start-http-server';
export { DEFAULT_SERVER_TIMEOUTS, type ServerTimeouts } from './lib/server-timeouts';
export { guardProcess } from './lib/process-guard';
export { onShutdown } from './lib/on-shutdown';
export { redactUrl } from './lib/redact-url';
export { ifNoneMatch, parseRange, type ByteRange } from './lib/conditional-requests';
export {
  acceptsGzip, representationOf, sendRepresentation, type Representation, type RepresentationHeaders, type RepresentationOptions,
} from './lib/representation';
export { abortOnClose, countBodyBytes, responseSize, responseStatus, sendBody } from './lib/send-body';
export { markStale } from './lib/mark-stale';
export { sendDownloadRedirect } from './lib/send-download-redirect';
export { expressPath, hotPathOf, type HotPath, type HotRouteOptions } from './lib/hot-path';
export { sendBlob, type BlobHeaders, type BlobToSend } from './lib/send-blob';
