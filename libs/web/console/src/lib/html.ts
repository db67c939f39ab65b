import { html as honoHtml, raw as honoRaw } from 'hono/html';

/**
 * Markup is built with hono's `html` tagged template: every interpolated value is escaped unless it is itself
 * markup from `html` (or `trustedHtml`, used only for sanitized README output), so escaping is the default.
 */
export type Html = ReturnType<typeof honoHtml>;

export const html = honoHtml;

/** Markup that is already safe (the sanitizer's output); never call it on input. */
export const trustedHtml = (markup: string): Html => honoRaw(markup);

/** The finished document as a string; the console's templates never interpolate promises, so it is synchronous. */
export function toDocument(markup: Html): string {
  if (markup instanceof Promise) throw new TypeError('the console rendered asynchronous markup');
  return String(markup);
}

/** The console's path prefix: every link is built from it. */
export const WEB_BASE = '/-/web';

/** A package page's path; a scoped name keeps its `@scope/` segment readable. */
export function packageHref(name: string, query?: string): string {
  const path = name.split('/').map(encodeURIComponent).join('/').replace(/^%40/, '@');
  return `${WEB_BASE}/package/${path}${query ? `?${query}` : ''}`;
}

/** A PyPI project page's path (the name as given; the route normalizes it). */
export function projectHref(name: string, query?: string): string {
  return `${WEB_BASE}/project/${encodeURIComponent(name)}${query ? `?${query}` : ''}`;
}

/** A package's page in either registry: `pagesAt` is '' for this console, the peer console's URL for the other. */
export const pageHrefOf = (registry: 'npm' | 'pypi', name: string, pagesAt: string): string =>
  `${pagesAt}${registry === 'npm' ? packageHref(name) : projectHref(name)}`;

/** Only http(s) URLs become links (a `javascript:` homepage stays text). */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}
