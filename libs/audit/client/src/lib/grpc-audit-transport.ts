import { Client, credentials, Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { AuditServiceService, RecordBatchRequest } from '@registry/audit-proto';
import { AUDIT_TOKEN_METADATA_KEY, AuditSendError, RETRY_PUSHBACK_KEY, type AuditTransport } from './audit-transport';

const RECORD_BATCH = AuditServiceService.recordBatch;
const asIs = (bytes: Buffer): Buffer => bytes;

/**
 * One grpc-js channel to the gateway; grpc-js reconnects it by itself after the gateway restarts. Every call
 * carries the gateway token when one is configured. The batch arrives encoded (RecordBatchEncoder, per event)
 * and is handed to grpc-js as bytes.
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
  return {
    send: (events, { deadlineMs }) =>
      new Promise<void>((resolve, reject) => {
        // Entries concatenated are the RecordBatchRequest (the client queued each event encoded).
        const request = events.length === 1 ? events[0]! : Buffer.concat(events);
        client.makeUnaryRequest(RECORD_BATCH.path, asIs, RECORD_BATCH.responseDeserialize, request, metadata.clone(), { deadline: Date.now() + deadlineMs }, (err) =>
          err ? reject(toSendError(err, events)) : resolve(),
        );
      }),
    describe: (event) => {
      try {
        const decoded = RecordBatchRequest.decode(event).events[0];
        return { ...(decoded ? { eventType: decoded.event_type } : {}), ...(decoded?.extra['event_id'] ? { eventId: decoded.extra['event_id'] } : {}) };
      } catch {
        return {};
      }
    },
    close: () => client.close(),
  };
}

function toSendError(err: ServiceError, events: readonly unknown[]): AuditSendError {
  const message = `gateway answered ${status[err.code] ?? err.code} for a batch of ${events.length}: ${err.details}`;
  if (err.code === status.INVALID_ARGUMENT) return new AuditSendError('invalid', message);
  const hint = Number(err.metadata?.get(RETRY_PUSHBACK_KEY)[0]);
  return new AuditSendError('retry', message, Number.isFinite(hint) && hint >= 0 ? hint : undefined);
}
