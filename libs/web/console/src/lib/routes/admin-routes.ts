import type { Request, Response, Router } from 'express';
import { AppError } from '@registry/shared-errors';
import { WEB_BASE } from '../html';
import { renderAdminPage, type AdminView, type BlockedRow, type ExemptionRow } from '../admin-pages';
import { accountEvent, declareAccountFacts } from './account-routes';
import type { ConsoleKit } from './console-router';
import type { ConsoleOptions, ConsoleUser } from './ports';
import { checkForm } from './session';

const field = (req: Request, name: string): string => {
  const value = (req.body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value.trim() : '';
};

/** The admin's changes to an account, by the form's `action`. */
const USER_CHANGES: Record<string, { disabled?: boolean; admin?: boolean }> = {
  disable: { disabled: true }, enable: { disabled: false }, 'make-admin': { admin: true }, 'remove-admin': { admin: false },
};
const changeOf = (req: Request) => {
  const action = field(req, 'action');
  return { action, change: Object.hasOwn(USER_CHANGES, action) ? USER_CHANGES[action] : undefined };
};

/**
 * The admin pages (admins only, 403 for anyone else): users through the identity service's admin calls (the
 * ones `PUT /-/admin/users/<name>` makes), the firewall through its admin API's functions (`GET /-/policy`).
 * Every form answers with the page and a sentence saying what it did. The user forms are audit events, as
 * `PUT /-/admin/users/<name>` is; the exemption forms are not, as `/-/policy` is not (no registry operation).
 */
export function adminRoutes(router: Router, opts: ConsoleOptions, kit: ConsoleKit): void {
  const { identity, policy, route } = opts;
  const adminOf = (res: Response): ConsoleUser => {
    const principal = opts.callerOf(res);
    if (!principal) throw new AppError('unauthenticated', 'log in first');
    if (!principal.user.roles.includes('admin')) throw new AppError('forbidden', 'the admin pages are for admins only');
    return principal.user;
  };
  const page = async (req: Request, res: Response, status: number, message?: string) => {
    const view = policy.view() as { blocked: BlockedRow[]; exemptions: ExemptionRow[]; cooldown: { minReleaseAge: string } | null };
    const model: AdminView = {
      users: await identity.listUsers(), publishRules: opts.publishRules, blocked: view.blocked, exemptions: view.exemptions,
      cooldown: view.cooldown?.minReleaseAge ?? null, ...(message ? { message } : {}),
    };
    kit.send(res, status, renderAdminPage(model, kit.chromeOf(req, res)), { private: true });
  };
  /**
   * An admin's form: the caller checked first, then the body read and its form token checked. `event`: the
   * operation of its audit event, and what of the form goes on it (before the form token is checked, so a forged
   * form's event says what it tried).
   */
  const form = (
    run: (req: Request, admin: ConsoleUser) => Promise<string>,
    event?: { operation: string; facts: (req: Request) => { extra: Record<string, string>; account: string } },
  ) => route('user', event ? accountEvent(opts, event.operation) : () => ({}), async (req, res) => {
    const admin = adminOf(res);
    await kit.readForm(req, res);
    if (event) {
      const { extra, account } = event.facts(req);
      declareAccountFacts(opts, res, extra, { account });
    }
    checkForm(req);
    await page(req, res, 200, await run(req, admin));
  });

  router.get(`${WEB_BASE}/admin`, route('user', () => ({}), async (req, res) => {
    adminOf(res);
    await page(req, res, 200);
  }));

  router.post(`${WEB_BASE}/admin/users`, form(async (req, admin) => {
    const email = field(req, 'email');
    const user = await identity.addUserAsAdmin(admin, {
      name: field(req, 'name'), password: (req.body as Record<string, unknown>)['password'] as string ?? '', ...(email ? { email } : {}), admin: field(req, 'admin') === 'yes',
    });
    return `Created ${user.name} (${user.roles.join(', ')}).`;
  }, { operation: 'admin-adduser', facts: (req) => ({ extra: { admin: String(field(req, 'admin') === 'yes') }, account: field(req, 'name') }) }));

  router.post(`${WEB_BASE}/admin/users/change`, form(async (req, admin) => {
    const { action, change } = changeOf(req);
    if (!change) throw new AppError('invalid_request', `unknown change ${JSON.stringify(action.slice(0, 40))}`);
    const user = await identity.updateUserAsAdmin(admin, field(req, 'name'), change);
    return `${user.name}: ${user.disabled ? 'disabled' : 'active'}, ${user.roles.join(', ')}.`;
  }, {
    // An unknown change is refused and recorded without its text (it could be anything).
    operation: 'admin-change', facts: (req) => {
      const { action, change } = changeOf(req);
      const extra: Record<string, string> = change ? { change: action } : {};
      return { extra, account: field(req, 'name') };
    },
  }));

  router.post(`${WEB_BASE}/admin/exemptions`, form(async (req, admin) => {
    const optional = (name: string) => (field(req, name) === '' ? {} : { [name]: field(req, name) });
    const added = await policy.addExemption({
      ecosystem: field(req, 'ecosystem'), package: field(req, 'package'), policies: [field(req, 'policy')], reason: field(req, 'reason'),
      ...optional('version'), ...optional('expiresAt'),
    }, admin.name);
    return `Added an exemption for ${String(added['package'])}.`;
  }));

  router.post(`${WEB_BASE}/admin/exemptions/remove`, form(async (req) => {
    await policy.removeExemption(field(req, 'id'));
    return 'Removed the exemption.';
  }));
}
