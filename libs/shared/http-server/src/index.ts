export { HTTP_STATUS } from './lib/http-status';
export { abortOnClose } from './lib/abort-on-close';
export { createHttpMetrics, type HttpMetrics } from './lib/metrics';
export { errorHandler, notFoundHandler, type ErrorBody } from './lib/error-handler';
export { createHttpApp, finishHttpApp, type HttpAppOptions, type ReadinessCheck } from './lib/create-http-app';
export { startHttpServer, type RunningHttpServer } from './lib/start-http-server';
export { onShutdown } from './lib/on-shutdown';
export { redactUrl } from './lib/redact-url';
