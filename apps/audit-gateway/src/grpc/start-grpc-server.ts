import { Server, ServerCredentials } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { AuditServiceService, type AuditServiceServer } from '@registry/audit-proto';
import type { Logger } from '@registry/shared-logger';

export const AUDIT_SERVICE_NAME = 'registry.audit.v1.AuditService';

export interface RunningGrpcServer {
  /** host:port actually bound (port 0 picks a free one). */
  address: string;
  port: number;
  /** Stops accepting calls and waits for those in flight, up to `graceMs`, then cancels them. */
  close(graceMs?: number): Promise<void>;
}

export async function startGrpcServer(service: AuditServiceServer, opts: { host: string; port: number; logger: Logger }): Promise<RunningGrpcServer> {
  const server = new Server({ 'grpc.max_receive_message_length': 16 * 1024 * 1024 });
  server.addService(AuditServiceService, service);
  // Standard grpc.health.v1.Health: SERVING while the server accepts batches (a Kafka outage is
  // absorbed by the spool, so it does not make the gRPC service unhealthy).
  const health = new HealthImplementation({ '': 'SERVING', [AUDIT_SERVICE_NAME]: 'SERVING' });
  health.addToServer(server);
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${opts.host}:${opts.port}`, ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound)));
  });
  const address = `${opts.host.includes(':') ? `[${opts.host}]` : opts.host}:${port}`;
  opts.logger.info({ address }, 'audit-gateway (grpc) listening');
  return {
    address,
    port,
    close: (graceMs = 10_000) =>
      new Promise<void>((resolve) => {
        health.setStatus('', 'NOT_SERVING');
        health.setStatus(AUDIT_SERVICE_NAME, 'NOT_SERVING');
        const timer = setTimeout(() => server.forceShutdown(), graceMs);
        timer.unref();
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
