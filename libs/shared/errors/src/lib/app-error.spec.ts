import { AppError, ERROR_CODES, isAppError } from './app-error';

describe('AppError', () => {
  it('carries its code, message, cause, headers and details', () => {
    const cause = new Error('root');
    const err = new AppError('too_many_requests', 'slow down', { cause, headers: { 'retry-after': '5' }, details: { n: 1 } });
    expect(err).toBeInstanceOf(Error);
    expect(isAppError(err)).toBe(true);
    expect(err.code).toBe('too_many_requests');
    expect(err.message).toBe('slow down');
    expect(err.cause).toBe(cause);
    expect(err.headers).toEqual({ 'retry-after': '5' });
    expect(err.details).toEqual({ n: 1 });
  });

  it('is distinguishable from other errors', () => {
    expect(isAppError(new Error('x'))).toBe(false);
    expect(isAppError('x')).toBe(false);
  });

  it('lists every code once', () => {
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
  });
});
