import { html, pageHrefOf, WEB_BASE } from './html';
import { csrfField, REGISTRY_LABEL, renderPage } from './layout';
import { time } from './fragments';
import type { ConsoleChrome } from './view-model';
import type { ConsoleToken, ConsoleUser, OwnPackage } from './routes/ports';

/** The login form: the same user name and password as `npm login` and twine. */
export function renderLoginPage(chrome: ConsoleChrome, opts: { error?: string; name?: string } = {}): string {
  return renderPage({
    title: 'Log in', chrome,
    main: html`<h1>Log in</h1>
<p>Use the account you use with npm, pip, uv and twine: both registries share it.</p>
${opts.error ? html`<p class="error-message" role="alert">${opts.error}</p>` : ''}
<form action="${WEB_BASE}/login" method="post">
${csrfField(chrome)}
<label class="field" for="login-name">User name</label>
<input id="login-name" name="name" type="text" autocomplete="username" required value="${opts.name ?? ''}">
<label class="field" for="login-password">Password</label>
<input id="login-password" name="password" type="password" autocomplete="current-password" required>
<p><button type="submit">Log in</button></p>
</form>`,
  });
}

export interface AccountView {
  user: ConsoleUser;
  tokens: readonly ConsoleToken[];
  packages: readonly OwnPackage[];
  /** A token just created: its secret, shown this once. */
  created?: { secret: string; info: ConsoleToken };
  /** The registry URL clients are configured with, for the token's instructions. */
  registryUrl: string;
}

/** The signed-in user's page: their packages here, their tokens (create, see last use, revoke). */
export function renderAccountPage(view: AccountView, chrome: ConsoleChrome): string {
  const { user } = view;
  return renderPage({
    title: 'Your account', chrome,
    main: html`<h1>Your account</h1>
<p><strong>${user.name}</strong>${user.email ? html` · ${user.email}` : ''} · ${user.roles.join(', ')} · since ${time(user.createdAt)}</p>
${view.created ? created(view, chrome) : ''}
<section aria-labelledby="packages-h"><h2 id="packages-h">Your ${REGISTRY_LABEL[chrome.registry]} packages</h2>
${view.packages.length === 0 ? html`<p class="muted">You have published no ${REGISTRY_LABEL[chrome.registry]} package here.</p>` : html`<ul>${view.packages.map((p) => html`<li><a href="${pageHrefOf(chrome.registry, p.name, '')}">${p.name}</a>${p.version ? html` <span class="muted">${p.version}</span>` : ''}</li>`)}</ul>`}
${chrome.peer ? html`<p>Your ${REGISTRY_LABEL[chrome.peer.registry]} packages are on the <a href="${chrome.peer.url}${WEB_BASE}/account">${REGISTRY_LABEL[chrome.peer.registry]} console</a>.</p>` : ''}
</section>
<section aria-labelledby="tokens-h"><h2 id="tokens-h">Tokens</h2>
<p>A token works for both registries. Logins (npm login, this console) hold session tokens too.</p>
<form action="${WEB_BASE}/account/tokens" method="post">
${csrfField(chrome)}
<fieldset><legend>Create a token</legend>
<label class="field" for="token-description">Description</label>
<input id="token-description" name="description" type="text" maxlength="200" required>
<fieldset><legend>Scope</legend>
<input id="scope-read" type="radio" name="scope" value="read" checked> <label for="scope-read">Read-only (install)</label><br>
<input id="scope-publish" type="radio" name="scope" value="publish"> <label for="scope-publish">Publish (install, publish and upload)</label>
</fieldset>
<button type="submit">Create token</button>
</fieldset>
</form>
${tokenTable(view.tokens, chrome)}
</section>`,
  });
}

function created(view: AccountView, chrome: ConsoleChrome) {
  const { secret, info } = view.created as NonNullable<AccountView['created']>;
  const host = view.registryUrl.replace(/^https?:/, '');
  return html`<section class="secret" role="status" aria-labelledby="new-token-h"><h2 id="new-token-h">Your new token</h2>
<p>Copy it now: it is shown this once and stored only as a hash.</p>
<pre><code class="break" id="new-token">${secret}</code></pre>
<p>${info.readonly ? 'Read-only.' : 'May publish.'} ${chrome.registry === 'npm'
    ? html`In <code>.npmrc</code>: <code class="break">${host}/:_authToken=${secret}</code>`
    : html`For pip, uv and twine: user <code>__token__</code>, password the token.`}</p>
</section>`;
}

function tokenTable(tokens: readonly ConsoleToken[], chrome: ConsoleChrome) {
  if (tokens.length === 0) return html`<p class="muted">No tokens.</p>`;
  return html`<table><thead><tr><th scope="col">Token</th><th scope="col">Description</th><th scope="col">Scope</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">Expires</th><th scope="col"><span class="visually-hidden">Revoke</span></th></tr></thead><tbody>
${tokens.map((t) => html`<tr><td><code>${t.token}</code>${t.session ? html` <span class="tag">login</span>` : ''}</td><td class="break">${t.description ?? ''}</td><td>${t.readonly ? 'read-only' : 'publish'}</td><td>${time(t.created)}</td><td>${t.lastUsed ? time(t.lastUsed) : html`<span class="muted">never</span>`}</td><td>${t.expires ? time(t.expires) : html`<span class="muted">when revoked</span>`}</td>
<td><form class="inline" action="${WEB_BASE}/account/tokens/revoke" method="post">${csrfField(chrome)}<input type="hidden" name="key" value="${t.key}"><button type="submit" class="danger" aria-label="Revoke token ${t.token}">Revoke</button></form></td></tr>`)}
</tbody></table>`;
}
