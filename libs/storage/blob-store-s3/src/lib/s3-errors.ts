import { AppError, isAppError } from '@registry/shared-errors';
import { STORE_UNAVAILABLE } from '@registry/storage-blob-store';

interface SdkErrorShape {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

const describe = (err: unknown): { name: string; status: number | undefined } => {
  const e = (err ?? {}) as SdkErrorShape;
  return { name: e.name ?? e.Code ?? 'Error', status: e.$metadata?.httpStatusCode };
};

/** NoSuchKey (GET), NotFound (HEAD, no body) or a bare 404: a miss, which the port reports as undefined. */
export function isS3NotFound(err: unknown): boolean {
  const { name, status } = describe(err);
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

/**
 * Translates an SDK error at the adapter boundary, so no SDK type leaks out: failed conditions
 * (412 PreconditionFailed, and 409 ConditionalRequestConflict, which S3 returns when a concurrent conditional
 * write wins) become precondition_failed; 416 InvalidRange becomes range_not_satisfiable; anything else is unavailable.
 */
export function toStoreError(err: unknown, action: string, key: string): AppError {
  if (isAppError(err)) return err;
  const { name, status } = describe(err);
  if (name === 'PreconditionFailed' || status === 412 || name === 'ConditionalRequestConflict' || status === 409) {
    return new AppError('precondition_failed', `${key} changed concurrently (${name})`, { cause: err, publicMessage: 'the document changed concurrently' });
  }
  if (name === 'InvalidRange' || status === 416) return new AppError('range_not_satisfiable', `range not satisfiable for ${key}`, { cause: err, publicMessage: 'range not satisfiable' });
  return new AppError('unavailable', `object store ${action} of ${key} failed: ${name}${status === undefined ? '' : ` (${status})`}`, { cause: err, publicMessage: STORE_UNAVAILABLE });
}
