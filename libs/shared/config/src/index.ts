export { loadConfig, redactConfig, ConfigError } from './lib/load-config';
export { envBoolean, port, logLevel, httpUrl, StorageEnv, requireS3Settings } from './lib/common-env';
