import { WAIVABLE_POLICIES } from '@registry/policy-firewall';
import { html, type Html } from './html';
import { csrfField, renderPage } from './layout';
import { time } from './fragments';
import { WEB_BASE } from './html';
import type { ConsoleChrome } from './view-model';
import type { ConsoleUser } from './routes/ports';

/** A held release as the firewall's admin view lists it (`GET /-/policy`). */
export interface BlockedRow {
  ecosystem: string;
  package: string;
  release: string;
  policy: string;
  reason: string;
  advisory: string | null;
  availableAt: string | null;
}

export interface ExemptionRow {
  id: string;
  ecosystem: string;
  package: string;
  version?: string;
  policies: readonly string[];
  reason: string;
  expiresAt?: string;
  createdBy: string;
}

/**
 * Who may publish what on this registry, as its configuration says (the rules are set by variables, not here):
 * the name rules in the order they apply, then what holds for every name.
 */
export interface PublishRulesView {
  rules: readonly { names: string; who: string }[];
  /** Where name rules come from, e.g. `NPM_PUBLISH_RULES`; absent where the registry has none. */
  setting?: string;
  notes: readonly string[];
}

export interface AdminView {
  users: readonly ConsoleUser[];
  publishRules: PublishRulesView;
  blocked: readonly BlockedRow[];
  exemptions: readonly ExemptionRow[];
  /** The cooldown setting, as the policy view says it (e.g. `3d`), or null when off. */
  cooldown: string | null;
  /** What the last form did, said at the top. */
  message?: string;
}

/** Users (create, disable, make admin) and the firewall (what it holds now, its exemptions), for admins. */
export function renderAdminPage(view: AdminView, chrome: ConsoleChrome): string {
  return renderPage({
    title: 'Admin', chrome,
    main: html`<h1>Admin</h1>
${view.message ? html`<p class="notice" role="status">${view.message}</p>` : ''}
<section aria-labelledby="users-h"><h2 id="users-h">Users (${view.users.length})</h2>
<table><thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">State</th><th scope="col">Change</th></tr></thead><tbody>
${view.users.map((u) => userRow(u, chrome))}
</tbody></table>
<form action="${WEB_BASE}/admin/users" method="post">${csrfField(chrome)}
<fieldset><legend>Create a user</legend>
<label class="field" for="new-name">User name</label><input id="new-name" name="name" type="text" required autocomplete="off">
<label class="field" for="new-email">Email (optional)</label><input id="new-email" name="email" type="email" autocomplete="off">
<label class="field" for="new-password">Password</label><input id="new-password" name="password" type="password" required autocomplete="new-password">
<p><input id="new-admin" name="admin" type="checkbox" value="yes"> <label for="new-admin">Admin</label></p>
<button type="submit">Create user</button>
</fieldset></form>
</section>
${publishRulesSection(view.publishRules)}
<section aria-labelledby="blocked-h"><h2 id="blocked-h">Held by the firewall now (${view.blocked.length})</h2>
<p class="muted">Release-age cooldown: ${view.cooldown ?? 'off'}.</p>
${view.blocked.length === 0 ? html`<p class="muted">Nothing is held.</p>` : html`<table><thead><tr><th scope="col">Registry</th><th scope="col">Package</th><th scope="col">Release</th><th scope="col">Policy</th><th scope="col">Why</th><th scope="col">Available from</th></tr></thead><tbody>
${view.blocked.map((b) => html`<tr><td>${b.ecosystem}</td><td class="break">${b.package}</td><td class="break">${b.release}</td><td>${b.policy}${b.advisory ? html` (${b.advisory})` : ''}</td><td>${b.reason}</td><td>${b.availableAt ? time(b.availableAt) : 'not by the clock'}</td></tr>`)}
</tbody></table>`}
</section>
<section aria-labelledby="exemptions-h"><h2 id="exemptions-h">Exemptions (${view.exemptions.length})</h2>
${view.exemptions.length === 0 ? html`<p class="muted">No exemptions.</p>` : html`<table><thead><tr><th scope="col">Registry</th><th scope="col">Package</th><th scope="col">Version</th><th scope="col">Policies</th><th scope="col">Reason</th><th scope="col">Expires</th><th scope="col">By</th><th scope="col"><span class="visually-hidden">Remove</span></th></tr></thead><tbody>
${view.exemptions.map((e) => html`<tr><td>${e.ecosystem}</td><td class="break">${e.package}</td><td>${e.version ?? 'any'}</td><td>${e.policies.join(', ')}</td><td>${e.reason}</td><td>${e.expiresAt ? time(e.expiresAt) : 'never'}</td><td>${e.createdBy}</td>
<td><form class="inline" action="${WEB_BASE}/admin/exemptions/remove" method="post">${csrfField(chrome)}<input type="hidden" name="id" value="${e.id}"><button type="submit" class="danger" aria-label="Remove the exemption of ${e.package}">Remove</button></form></td></tr>`)}
</tbody></table>`}
<form action="${WEB_BASE}/admin/exemptions" method="post">${csrfField(chrome)}
<fieldset><legend>Add an exemption</legend>
<label class="field" for="ex-ecosystem">Registry</label><select id="ex-ecosystem" name="ecosystem"><option value="npm">npm</option><option value="pypi">PyPI</option></select>
<label class="field" for="ex-package">Package (a name, <code>@scope/*</code> or a glob)</label><input id="ex-package" name="package" type="text" required>
<label class="field" for="ex-version">Version (optional: every version)</label><input id="ex-version" name="version" type="text">
<label class="field" for="ex-policy">Policy</label><select id="ex-policy" name="policy">${WAIVABLE_POLICIES.map((p) => html`<option value="${p}">${p}</option>`)}</select>
<label class="field" for="ex-reason">Reason</label><input id="ex-reason" name="reason" type="text" required>
<label class="field" for="ex-expires">Expires (optional, e.g. 2026-12-31T00:00:00Z)</label><input id="ex-expires" name="expiresAt" type="text">
<p><button type="submit">Add exemption</button></p>
</fieldset></form>
</section>
<section aria-labelledby="usage-h"><h2 id="usage-h">Usage</h2>
<p>Downloads over the last 30 days, per registry and per package, cache against upstream: <a href="${WEB_BASE}/usage">the usage page</a> (from the lake's snapshot, <code>tools/lake/usage.sh</code>).</p>
</section>`,
  });
}

function publishRulesSection(view: PublishRulesView): Html {
  return html`<section aria-labelledby="rules-h"><h2 id="rules-h">Publish rules</h2>
${view.rules.length === 0 ? html`<p class="muted">${view.setting ? html`No name rules (<code>${view.setting}</code> is not set).` : 'This registry has no name rules.'}</p>` : html`<table><thead><tr><th scope="col">Names</th><th scope="col">Who may publish them</th></tr></thead><tbody>
${view.rules.map((r) => html`<tr><td class="break"><code>${r.names}</code></td><td>${r.who}</td></tr>`)}
</tbody></table><p class="muted">The first rule whose names match decides; set by <code>${view.setting ?? ''}</code>.</p>`}
<ul>${view.notes.map((n) => html`<li>${n}</li>`)}</ul>
</section>`;
}

function userRow(u: ConsoleUser, chrome: ConsoleChrome): Html {
  const self = u.name === chrome.user?.name;
  const admin = u.roles.includes('admin');
  const button = (action: string, label: string) => html`<form class="inline" action="${WEB_BASE}/admin/users/change" method="post">${csrfField(chrome)}<input type="hidden" name="name" value="${u.name}"><input type="hidden" name="action" value="${action}"><button type="submit" aria-label="${label}: ${u.name}">${label}</button></form>`;
  return html`<tr><td>${u.name}</td><td class="break">${u.email ?? ''}</td><td>${u.roles.join(', ')}</td><td>${u.disabled ? html`<strong>disabled</strong>` : 'active'}</td>
<td>${self ? html`<span class="muted">you</span>` : html`${u.disabled ? button('enable', 'Enable') : button('disable', 'Disable')} ${admin ? button('remove-admin', 'Remove admin') : button('make-admin', 'Make admin')}`}</td></tr>`;
}
