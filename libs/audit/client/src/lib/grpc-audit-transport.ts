import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import type { AuditEvent } from '@registry/audit-event';
import { AuditServiceService } from '@registry/audit-proto';
import { AUDIT_TOKEN_METADATA_KEY, AuditSendError, RETRY_PUSHBACK_KEY, type AuditTransport } from './audit-transport';
import { RecordBatchEncoder } from './encode-record-batch';

const RECORD_BATCH = AuditServiceService.recordBatch;
const asIs = (bytes: Buffer): Buffer => bytes;

/**
 * One grpc-js channel to the gateway; grpc-js reconnects it by itself after the gateway restarts. Every call
 * carries the gateway token when one is configured. A batch is encoded once, by RecordBatchEncoder, and
 * handed to grpc-js as bytes.
 */
export function createGrpcAuditTransport(address: string, token?: string): AuditTransport {
  const metadata = new Metadata();
  if (token !== undefined) metadata.set(AUDIT_TOKEN_METADATA_KEY, `Bearer ${token}`);
  const client = new Client(address, credentials.createInsecure(), {
    // Probe a dead gateway every ~1-5 s instead of grpc-js' default back-off of up to 120 s.
    'grpc.initial_reconnect_backoff_ms': 500,
    'grpc.max_reconnect_backoff_ms': 5_000,
    'grpc.keepalive_time_ms': 30_000,
  });
  const encoder = new RecordBatchEncoder();
  return {
    send: (events, { deadlineMs }) =>
      new Promise<void>((resolve, reject) => {
        const request = encoder.encode(events);
        client.makeUnaryRequest(RECORD_BATCH.path, asIs, RECORD_BATCH.responseDeserialize, request, metadata.clone(), { deadline: Date.now() + deadlineMs }, (err) =>
          err ? reject(toSendError(err, events)) : resolve(),
        );
      }),
    close: () => client.close(),
  };
}

function toSendError(err: ServiceError, events: readonly AuditEvent[]): AuditSendError {
  const message = `gateway answered ${status[err.code] ?? err.code} for a batch of ${events.length}: ${err.details}`;
  if (err.code === status.INVALID_ARGUMENT) return new AuditSendError('invalid', message);
  const hint = Number(err.metadata?.get(RETRY_PUSHBACK_KEY)[0]);
  return new AuditSendError('retry', message, Number.isFinite(hint) && hint >= 0 ? hint : undefined);
}
