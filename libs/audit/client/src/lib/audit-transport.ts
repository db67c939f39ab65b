/** Standard gRPC retry hint key (gRPC A6 "Retry design": server pushback). */
export const RETRY_PUSHBACK_KEY = 'grpc-retry-pushback-ms';

/** The metadata key carrying the gateway's shared secret (`Bearer <AUDIT_GATEWAY_TOKEN>`). */
export const AUDIT_TOKEN_METADATA_KEY = 'authorization';

/**
 * One event as the client queues it: its entry of a RecordBatchRequest (RecordBatchEncoder#encodeEntry), so that
 * a batch is its entries concatenated.
 */
export type EncodedAuditEvent = Buffer;

/** How the batching client ships one batch; the gRPC transport in production, a fake in unit tests. */
export interface AuditTransport {
  /** Resolves only when the gateway acknowledged every event of the batch (durable there). */
  send(events: readonly EncodedAuditEvent[], opts: { deadlineMs: number }): Promise<void>;
  /** The type and id of one queued event, for the log line of an event the gateway refused. */
  describe?(event: EncodedAuditEvent): { eventType?: string; eventId?: string };
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
