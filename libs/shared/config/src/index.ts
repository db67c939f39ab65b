export { loadConfig, redactConfig, renamedVariablesInUse, secondsToMs, ConfigError, type LoadConfigOptions, type RenamedVariable } from './lib/load-config';
export { envBoolean, port, milliseconds, logLevel, httpUrl, StorageEnv, requireS3Settings, HttpServerEnv, WebConsoleEnv, httpServerTimeouts, trustProxy, type HttpServerSettings } from './lib/common-env';
export { upstreamFromClientConfig, describeUpstream, type UpstreamKind, type UpstreamOrigin, type RunClient } from './lib/client-upstreams';
export { envSchemaKeys } from './lib/env-schema-keys';
