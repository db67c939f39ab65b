import { html, packageHref, WEB_BASE } from './html';
import { renderPage } from './layout';
import type { SearchView } from './view-model';

/** The search page: the private and cached packages the registry's own search finds, each linking to its page. */
export function renderSearchPage(view: SearchView): string {
  const heading = view.query === '' ? 'Packages in this registry' : `Search results for “${view.query}”`;
  const last = Math.min(view.from + view.hits.length, view.total);
  const pageLink = (from: number, label: string) =>
    html`<a href="${WEB_BASE}/?${new URLSearchParams({ q: view.query, from: String(from) }).toString()}">${label}</a>`;
  return renderPage({
    title: view.query === '' ? 'Search' : `Search: ${view.query}`,
    query: view.query,
    main: html`<h1>${heading}</h1>
${view.notice ? html`<p class="notice" role="status">${view.notice}</p>` : ''}
${view.hits.length === 0
    ? html`<p>No ${view.registry} package matches.</p>`
    : html`<p class="muted">${view.from + 1}–${last} of ${view.total}</p>
<ul class="results">
${view.hits.map((hit) => html`<li><a href="${packageHref(hit.name)}"><strong>${hit.name}</strong></a>${hit.version ? html` <span class="muted">${hit.version}</span>` : ''}
${hit.description ? html`<div>${hit.description}</div>` : ''}</li>`)}
</ul>`}
<nav aria-label="Result pages">
${view.from > 0 ? pageLink(Math.max(0, view.from - view.pageSize), 'Previous page') : ''}
${last < view.total ? pageLink(view.from + view.pageSize, 'Next page') : ''}
</nav>`,
  });
}
