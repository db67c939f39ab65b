import pino, { type DestinationStream, type Logger, type LevelWithSilent } from 'pino';

export type { Logger };

/** Paths whose values never reach a log line: credentials in headers, bodies and config. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  '*.secretAccessKey',
  '*.S3_SECRET_ACCESS_KEY',
  'S3_SECRET_ACCESS_KEY',
];

export interface LoggerOptions {
  name: string;
  level: LevelWithSilent;
  /** For tests: capture lines instead of writing to stdout. */
  destination?: DestinationStream;
}

/** Structured JSON logs (pino) with secrets redacted by path at the factory. */
export function createLogger(opts: LoggerOptions): Logger {
  return pino(
    {
      name: opts.name,
      level: opts.level,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    opts.destination,
  );
}

/** A logger that writes nothing, for tests. */
export const silentLogger: Logger = pino({ level: 'silent' });
