import { AppError } from '@registry/shared-errors';

/**
 * The SSRF guard (style §2.1 "SSRF guard"): outbound requests go only to configured origins
 * (scheme + host + port, compared exactly after URL normalisation).
 */
export interface OriginAllowList {
  isAllowed(url: URL): boolean;
  /** Throws AppError('forbidden') unless `url` is http(s) and its origin is configured. */
  assertAllowed(url: URL): void;
}

export function createOriginAllowList(origins: readonly string[]): OriginAllowList {
  const allowed = new Set(origins.map(normalizeOrigin));
  const isAllowed = (url: URL): boolean =>
    (url.protocol === 'http:' || url.protocol === 'https:') && allowed.has(url.origin);
  return {
    isAllowed,
    assertAllowed(url) {
      if (!isAllowed(url)) {
        throw new AppError('forbidden', `upstream origin ${url.origin} is not in the allow-list`, {
          details: { origin: url.origin },
        });
      }
    },
  };
}

function normalizeOrigin(origin: string): string {
  let url: URL;
  try {
    url = new URL(origin);
  } catch (err) {
    throw new Error(`allowedOrigins: not a URL: ${origin}`, { cause: err });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`allowedOrigins: not http(s): ${origin}`);
  return url.origin;
}
