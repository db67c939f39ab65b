import { html, pageHrefOf, WEB_BASE, type Html } from './html';
import { REGISTRY_LABEL, renderPage } from './layout';
import type { ConsoleChrome, RegistryResults, SearchView } from './view-model';

/**
 * The search page over both registries: one section per registry searched, each hit linking to its package
 * page (the peer console's for the other registry). Filtered to one registry, its results page through.
 */
export function renderSearchPage(view: SearchView, chrome: ConsoleChrome): string {
  const heading = view.query === '' ? 'Packages in this registry' : `Search results for “${view.query}”`;
  const single = view.results.length === 1;
  return renderPage({
    title: view.query === '' ? 'Search' : `Search: ${view.query}`,
    chrome, query: view.query, filter: view.filter,
    main: html`<h1>${heading}</h1>
${view.results.map((r) => section(view, r, single))}`,
  });
}

function section(view: SearchView, r: RegistryResults, single: boolean): Html {
  const label = REGISTRY_LABEL[r.registry];
  const id = `results-${r.registry}`;
  const first = single ? view.from : 0;
  const last = Math.min(first + r.hits.length, r.total);
  const query = (registry: string, from: number) => new URLSearchParams({ q: view.query, registry, from: String(from) }).toString();
  const pageLink = (from: number, text: string) => html`<a href="${WEB_BASE}/?${query(r.registry, from)}">${text}</a>`;
  return html`<section class="registry-results" aria-labelledby="${id}"><h2 id="${id}">${label} <span class="muted">(${r.total})</span></h2>
${r.notice ? html`<p class="notice" role="status">${r.notice}</p>` : ''}
${r.hits.length === 0
    ? (r.notice ? '' : html`<p>No ${label} package matches.</p>`)
    : html`<p class="muted">${first + 1}–${last} of ${r.total}</p>
<ul class="results">
${r.hits.map((hit) => html`<li><a href="${pageHrefOf(r.registry, hit.name, r.pagesAt)}"><strong>${hit.name}</strong></a>${hit.version ? html` <span class="muted">${hit.version}</span>` : ''}
${hit.description ? html`<div>${hit.description}</div>` : ''}</li>`)}
</ul>`}
<nav aria-label="${label} result pages">
${single && first > 0 ? pageLink(Math.max(0, first - view.pageSize), 'Previous page') : ''}
${single && last < r.total ? pageLink(first + view.pageSize, 'Next page') : ''}
${!single && last < r.total ? html`<a href="${WEB_BASE}/?${query(r.registry, 0)}">All ${r.total} ${label} results</a>` : ''}
</nav></section>`;
}
