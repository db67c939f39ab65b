export { createLogger, silentLogger, REDACTED_PATHS, type Logger, type LoggerOptions } from './lib/create-logger';
