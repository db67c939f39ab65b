export { AppError, isAppError, ERROR_CODES, type ErrorCode, type AppErrorOptions } from './lib/app-error';
