import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';

// Raw HTML in READMEs is common (badges, centred logos): markdown-it passes it through and sanitize-html then
// keeps an allow-list of tags and attributes, so scripts, iframes, event handlers and `javascript:` links go.
const markdown = new MarkdownIt({ html: true, linkify: true });

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [...sanitizeHtml.defaults.allowedTags, 'img', 'h1', 'h2', 'details', 'summary'],
  allowedAttributes: {
    a: ['href', 'title', 'rel'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align'], td: ['align'], ol: ['start'], code: ['class'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: ['http', 'https'] },
  allowProtocolRelative: false,
  allowedClasses: { code: [/^language-[\w-]+$/] },
  transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) },
};

/** README Markdown as inert HTML (no script, frame, handler or script URL survives). */
export function renderReadme(source: string): string {
  return sanitizeHtml(markdown.render(source), SANITIZE);
}

const CACHE_ENTRIES = 64;
const rendered = new Map<string, string>();

/**
 * `renderReadme`, remembered for the last few READMEs: a package page is read far more often than its README
 * changes, and a long README costs milliseconds to render (V8 keeps a string's hash, so the lookup is cheap).
 */
export function renderReadmeCached(source: string): string {
  const hit = rendered.get(source);
  if (hit !== undefined) {
    rendered.delete(source);
    rendered.set(source, hit);
    return hit;
  }
  const out = renderReadme(source);
  if (rendered.size >= CACHE_ENTRIES) rendered.delete(rendered.keys().next().value as string);
  rendered.set(source, out);
  return out;
}
