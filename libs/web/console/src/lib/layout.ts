import { html, toDocument, WEB_BASE, type Html } from './html';

export interface PageOptions {
  title: string;
  /** The search box's current text. */
  query?: string;
  main: Html;
}

/**
 * Every console page: one stylesheet from the console itself (no fonts or CDNs: the product runs air-gapped),
 * a skip link, the search form in the header and one `<main>`. No script at all: reading works without it.
 */
export function renderPage(opts: PageOptions): string {
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
<a class="brand" href="${WEB_BASE}/">Registry console</a>
<form class="search-form" role="search" action="${WEB_BASE}/" method="get">
<label for="search-text">Search npm packages</label>
<input id="search-text" name="q" type="search" value="${opts.query ?? ''}">
<button type="submit">Search</button>
</form>
</header>
<main id="main" tabindex="-1">
${opts.main}
</main>
</body>
</html>
`);
}

/** An error as a page: the status line and the registry's sentence (the JSON routes carry the same one). */
export function renderErrorPage(status: number, message: string): string {
  return renderPage({
    title: `Error ${status}`,
    main: html`<h1>Error ${status}</h1><p class="error-message">${message}</p><p><a href="${WEB_BASE}/">Back to search</a></p>`,
  });
}
