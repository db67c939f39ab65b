import type { AuditEvent } from '@registry/audit-event';

/** Standard gRPC retry hint key (gRPC A6 "Retry design": server pushback). */
export const RETRY_PUSHBACK_KEY = 'grpc-retry-pushback-ms';

/** The metadata key carrying the gateway's shared secret (`Bearer <AUDIT_GATEWAY_TOKEN>`). */
export const AUDIT_TOKEN_METADATA_KEY = 'authorization';

/** How the batching client ships one batch; the gRPC transport in production, a fake in unit tests. */
export interface AuditTransport {
  /** Resolves only when the gateway acknowledged every event of the batch (durable there). */
  send(events: readonly AuditEvent[], opts: { deadlineMs: number }): Promise<void>;
  close(): void;
}

/** A failed send, classified for the retry loop. */
export class AuditSendError extends Error {
  override readonly name = 'AuditSendError';
  constructor(
    readonly kind: 'retry' | 'invalid',
    message: string,
    /** The gateway's slow-down hint (RESOURCE_EXHAUSTED + grpc-retry-pushback-ms). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
