import { AppError } from '@registry/shared-errors';
import type { Hold } from './firewall';

/**
 * The 403 a held release answers with: the hold's sentence, and details the audit trail turns into
 * `extra.policy` / `extra.advisory` (audit-http reads `details.policy`), so a refusal names its rule.
 */
export function refusalOf(hold: Hold): AppError {
  return new AppError('forbidden', hold.message, {
    reasonPhrase: `Forbidden: ${hold.message}`,
    details: {
      policy: hold.policy,
      ...(hold.advisory ? { advisory: hold.advisory } : {}),
      ...(hold.publishedAt !== undefined ? { published_at: new Date(hold.publishedAt).toISOString() } : {}),
      ...(hold.availableAt !== undefined ? { available_at: new Date(hold.availableAt).toISOString() } : {}),
    },
  });
}
