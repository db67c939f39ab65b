import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';
import { AUDIT_TOKEN_METADATA_KEY } from '@registry/audit-client';
import { AppError } from '@registry/shared-errors';

/**
 * The gateway's caller check: every call carries the shared AUDIT_GATEWAY_TOKEN in its
 * metadata. Compared as SHA-256 digests in constant time, so neither the length nor a prefix leaks by timing.
 * Returns undefined when no token is configured (only allowed on a loopback bind, config.ts).
 */
export function callerTokenCheck(token: string | undefined): ((metadata: Metadata) => void) | undefined {
  if (token === undefined) return undefined;
  const expected = digest(token);
  return (metadata) => {
    const sent = metadata.get(AUDIT_TOKEN_METADATA_KEY)[0];
    const presented = typeof sent === 'string' ? sent.replace(/^Bearer /i, '') : '';
    if (presented === '' || !timingSafeEqual(digest(presented), expected)) {
      throw new AppError('unauthenticated', 'the audit gateway needs its AUDIT_GATEWAY_TOKEN in the call metadata');
    }
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();
