import type { AuditServiceServer } from '@registry/audit-proto';
import { AppError } from '@registry/shared-errors';
import type { Logger } from '@registry/shared-logger';
import type { GatewayMetrics } from '../gateway-metrics';
import type { AuditSink } from '../sink/audit-sink';
import { callerTokenCheck } from './caller-token';
import { handleUnary } from './handle-unary';
import { parsePackageEvent } from './parse-package-event';

/** Larger batches are refused: the client sends 500 by default. */
export const MAX_BATCH_EVENTS = 10_000;

/**
 * AuditService.RecordBatch: authenticate the caller (AUDIT_GATEWAY_TOKEN; refused calls are UNAUTHENTICATED and
 * counted), validate the whole batch (one bad event refuses all of it, so nothing is
 * half-accepted), then answer only once the sink made every event durable.
 */
export function createAuditService(deps: { sink: AuditSink; metrics: GatewayMetrics; logger: Logger; token?: string | undefined }): AuditServiceServer {
  const checkCaller = callerTokenCheck(deps.token);
  return {
    recordBatch: handleUnary(deps.logger, async (req, metadata) => {
      if (checkCaller) {
        try {
          checkCaller(metadata);
        } catch (err) {
          deps.metrics.unauthenticated.inc();
          throw err;
        }
      }
      const count = req.events.length;
      deps.metrics.received.inc(count);
      try {
        if (count > MAX_BATCH_EVENTS) throw new AppError('invalid_request', `batch of ${count} events exceeds ${MAX_BATCH_EVENTS}`);
        const events = req.events.map(parsePackageEvent);
        await deps.sink.publish(events);
      } catch (err) {
        deps.metrics.rejected.inc(count);
        throw err;
      }
      return { accepted: count };
    }),
  };
}
