import { z } from 'zod';
import { StorageEnv, httpUrl, logLevel, port, requireS3Settings, envBoolean } from '@registry/shared-config';

/** Every variable npm-proxy reads (README configuration table; same names in compose and Helm). */
export const NpmProxyEnv = StorageEnv.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  NPM_PROXY_PORT: port.default(8082),
  LOG_LEVEL: logLevel,
  /** Upstream npm registry base URL; unset = private-only. */
  NPM_UPSTREAM_URL: httpUrl.optional(),
  /** Public base URL of this proxy (tarball URLs in packuments point here). */
  NPM_PUBLIC_URL: httpUrl.optional(),
  AUDIT_GATEWAY_ADDR: z.string().min(1).optional(),
  TRUST_PROXY: envBoolean.default(false),
}).superRefine(requireS3Settings);

export type NpmProxyConfig = z.infer<typeof NpmProxyEnv>;
