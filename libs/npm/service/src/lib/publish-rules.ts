import { AppError } from '@registry/shared-errors';

/**
 * Who may publish which names (`NPM_PUBLISH_RULES`): `;`-separated `<pattern>:<user>|<user>` entries, e.g.
 * `@acme/*:alice|bob;legacy-*:carol`. A pattern is a name with `*` wildcards; the first matching rule decides;
 * `*` as a user means any authenticated user. Names no rule matches may be published by any authenticated user.
 * On top of that, only maintainers of an existing private package (or admins) may change it.
 */
export interface PublishRule {
  pattern: RegExp;
  source: string;
  users: ReadonlySet<string>;
}

export function parsePublishRules(spec: string | undefined): PublishRule[] {
  if (!spec?.trim()) return [];
  return spec.split(';').map((entry) => entry.trim()).filter(Boolean).map((entry) => {
    const colon = entry.lastIndexOf(':');
    if (colon <= 0) throw new Error(`NPM_PUBLISH_RULES: "${entry}" is not <pattern>:<user>|<user>`);
    const source = entry.slice(0, colon).trim();
    const users = entry.slice(colon + 1).split('|').map((u) => u.trim()).filter(Boolean);
    if (users.length === 0) throw new Error(`NPM_PUBLISH_RULES: "${entry}" names no user`);
    const regex = source.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
    return { pattern: new RegExp(`^${regex}$`), source, users: new Set(users) };
  });
}

export interface Actor {
  name: string;
  isAdmin: boolean;
}

export function assertMayPublish(rules: readonly PublishRule[], actor: Actor, name: string, maintainers: readonly string[] | undefined): void {
  if (actor.isAdmin) return;
  const rule = rules.find((r) => r.pattern.test(name));
  if (rule && !rule.users.has('*') && !rule.users.has(actor.name)) {
    throw new AppError('forbidden', `user ${actor.name} may not publish ${name} (rule ${rule.source})`);
  }
  if (maintainers && maintainers.length > 0 && !maintainers.includes(actor.name)) {
    throw new AppError('forbidden', `user ${actor.name} is not a maintainer of ${name}`);
  }
}
