export { loadConfig, redactConfig, ConfigError } from './lib/load-config';
export { envBoolean, port, logLevel, httpUrl, StorageEnv, requireS3Settings } from './lib/common-env';
export { upstreamFromClientConfig, describeUpstream, type UpstreamKind, type UpstreamOrigin, type RunClient } from './lib/client-upstreams';
export { envSchemaKeys } from './lib/env-schema-keys';
