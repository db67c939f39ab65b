import { z } from 'zod';
import { StorageEnv, httpUrl, logLevel, port, requireS3Settings, envBoolean } from '@registry/shared-config';

/** Every variable pypi-proxy reads (README configuration table; same names in compose and Helm). */
export const PypiProxyEnv = StorageEnv.extend({
  HOST: z.string().min(1).default('127.0.0.1'),
  PYPI_PROXY_PORT: port.default(8081),
  LOG_LEVEL: logLevel,
  /** Upstream simple index, e.g. https://<index host>/simple ; unset = private-only. */
  PYPI_UPSTREAM_URL: httpUrl.optional(),
  /** Base URL of the upstream's file host; only it and the index host are ever fetched. */
  PYPI_UPSTREAM_FILES_URL: httpUrl.optional(),
  /** Public base URL of this proxy, when it sits behind an ingress. */
  PYPI_PUBLIC_URL: httpUrl.optional(),
  /** gRPC address of the audit gateway; unset = audit off. */
  AUDIT_GATEWAY_ADDR: z.string().min(1).optional(),
  TRUST_PROXY: envBoolean.default(false),
}).superRefine(requireS3Settings);

export type PypiProxyConfig = z.infer<typeof PypiProxyEnv>;
