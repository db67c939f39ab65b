import type { PublishRulesView } from '@registry/web-console';
import type { PypiProxyConfig } from '../config';

const listOrNone = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/** The admin page's account of who may upload what, from the same settings the upload enforces. */
export function publishRulesView(config: PypiProxyConfig): PublishRulesView {
  return {
    rules: [],
    notes: [
      'A project is created by the first upload of any signed-in user, who becomes its owner; after that only its owners and admins may upload to it, yank its files or set its status.',
      `A name the upstream serves is refused to a first upload unless it is claimable (PYPI_CLAIMABLE_NAMES: ${listOrNone(config.PYPI_CLAIMABLE_NAMES)}) or merged with the upstream (PYPI_UPSTREAM_MERGE_ALLOWLIST: ${listOrNone(config.PYPI_UPSTREAM_MERGE_ALLOWLIST)}).`,
    ],
  };
}
