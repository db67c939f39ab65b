import MarkdownIt from 'markdown-it';
import sanitizeHtml from 'sanitize-html';
import { Lru } from '@registry/shared-util';

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

// Bounded by count and by size: the key is the README source itself (UTF-16, two bytes a character).
const rendered = new Lru<string, string>({ maxEntries: 64, maxBytes: 16 * 1024 * 1024 });

/**
 * `renderReadme`, remembered for the last few READMEs: a package page is read far more often than its README
 * changes, and a long README costs milliseconds to render (V8 keeps a string's hash, so the lookup is cheap).
 */
export function renderReadmeCached(source: string): string {
  const hit = rendered.get(source);
  if (hit !== undefined) return hit;
  const out = renderReadme(source);
  rendered.set(source, out, 2 * (source.length + out.length));
  return out;
}
