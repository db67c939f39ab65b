import { html, toDocument, WEB_BASE, type Html } from './html';
import type { ConsoleChrome, RegistryFilter, RegistryName } from './view-model';

export interface PageOptions {
  title: string;
  chrome: ConsoleChrome;
  /** The search box's current text and registry filter. */
  query?: string;
  filter?: RegistryFilter;
  main: Html;
}

export const REGISTRY_LABEL: Record<RegistryName, string> = { npm: 'npm', pypi: 'PyPI' };

/**
 * Every console page, on both registries: one stylesheet from the console itself (no fonts or CDNs: the product
 * runs air-gapped), a skip link, the search form and the nav in the header, one `<main>`. No script at all:
 * everything works without it, forms included (log out is a form, as it changes state).
 */
export function renderPage(opts: PageOptions): string {
  const { chrome } = opts;
  const filter = opts.filter ?? 'all';
  const option = (value: RegistryFilter, label: string) => html`<option value="${value}"${filter === value ? html` selected` : ''}>${label}</option>`;
  return toDocument(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · Registry console</title>
<link rel="stylesheet" href="${WEB_BASE}/console.css">
</head>
<body>
<a class="skip-link" href="#main">Skip to content</a>
<header class="site-header">
<a class="brand" href="${WEB_BASE}/">Registry console <span class="muted">(${REGISTRY_LABEL[chrome.registry]})</span></a>
<form class="search-form" role="search" action="${WEB_BASE}/" method="get">
<label for="search-text">Search packages</label>
<input id="search-text" name="q" type="search" value="${opts.query ?? ''}">
<label for="search-registry" class="visually-hidden">Registry</label>
<select id="search-registry" name="registry">${option('all', 'All registries')}${option('npm', 'npm')}${option('pypi', 'PyPI')}</select>
<button type="submit">Search</button>
</form>
${nav(chrome)}
</header>
<main id="main" tabindex="-1">
${opts.main}
</main>
</body>
</html>
`);
}

function nav(chrome: ConsoleChrome): Html {
  const here = html`<li><a href="${WEB_BASE}/">${REGISTRY_LABEL[chrome.registry]} packages</a></li><li><a href="${WEB_BASE}/usage">Usage</a></li>`;
  const peer = chrome.peer ? html`<li><a href="${chrome.peer.url}${WEB_BASE}/">${REGISTRY_LABEL[chrome.peer.registry]} console</a></li>` : '';
  const user = chrome.user
    ? html`<li><a href="${WEB_BASE}/account">Your account (${chrome.user.name})</a></li>
${chrome.user.admin ? html`<li><a href="${WEB_BASE}/admin">Admin</a></li>` : ''}
<li><form class="inline" action="${WEB_BASE}/logout" method="post">${csrfField(chrome)}<button type="submit">Log out</button></form></li>`
    : html`<li><a href="${WEB_BASE}/login">Log in</a></li>`;
  return html`<nav aria-label="Console"><ul class="nav">${here}${peer}${user}</ul></nav>`;
}

/** The hidden field every POST form carries (checked against the browser's form cookie). */
export const csrfField = (chrome: ConsoleChrome): Html => html`<input type="hidden" name="csrf" value="${chrome.csrfToken}">`;

/** An error as a page: the status line and the registry's sentence (the JSON routes carry the same one). */
export function renderErrorPage(status: number, message: string, chrome: ConsoleChrome): string {
  return renderPage({
    title: `Error ${status}`, chrome,
    main: html`<h1>Error ${status}</h1><p class="error-message">${message}</p>
${status === 401 ? html`<p><a href="${WEB_BASE}/login">Log in</a></p>` : ''}<p><a href="${WEB_BASE}/">Back to search</a></p>`,
  });
}
