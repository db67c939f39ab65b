import type { PublishRule } from '@registry/npm-service';
import type { PublishRulesView } from '@registry/web-console';
import type { NpmProxyConfig } from '../config';

const listOrNone = (names: readonly string[]): string => (names.length > 0 ? names.join(', ') : 'none');

/** The admin page's account of who may publish what, from the same settings the publisher enforces. */
export function publishRulesView(config: NpmProxyConfig, rules: readonly PublishRule[]): PublishRulesView {
  return {
    setting: 'NPM_PUBLISH_RULES',
    rules: rules.map((rule) => ({ names: rule.source, who: rule.users.has('*') ? 'any signed-in user' : [...rule.users].join(', ') })),
    notes: [
      'A name no rule matches may be published first by any signed-in user; after that only its maintainers and admins may change it.',
      `A name the upstream serves is refused to a first publish unless it is claimable (NPM_CLAIMABLE_NAMES: ${listOrNone(config.NPM_CLAIMABLE_NAMES)}), in a private scope (NPM_PRIVATE_SCOPES: ${listOrNone(config.NPM_PRIVATE_SCOPES)}) or merged with the upstream (NPM_UPSTREAM_MERGE_ALLOWLIST: ${listOrNone(config.NPM_UPSTREAM_MERGE_ALLOWLIST)}).`,
      `Self sign-up (npm adduser) is ${config.NPM_ALLOW_SIGNUP ? 'on' : 'off'} (NPM_ALLOW_SIGNUP).`,
    ],
  };
}
