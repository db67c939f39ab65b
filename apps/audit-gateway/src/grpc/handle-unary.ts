import type { handleUnaryCall, Metadata } from '@grpc/grpc-js';
import type { Logger } from '@registry/shared-logger';
import { toStatusObject } from './to-grpc-status';

/**
 * Adapts an async handler to grpc-js and settles the callback exactly once (style §3.10): the value,
 * or the error mapped by toStatusObject. Never rethrows.
 */
export function handleUnary<Req, Res>(logger: Logger, run: (req: Req, metadata: Metadata) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    Promise.resolve().then(() => run(call.request, call.metadata)).then(
      (res) => callback(null, res),
      (err: unknown) => callback(toStatusObject(err, logger)),
    );
  };
}
