import { acceptableOffers } from './acceptable-offers';

/** The representations of a simple API page (PEP 691). */
export type SimpleFormat = 'json-v1' | 'html-v1' | 'html-legacy';

const MEDIA_TYPE: Record<SimpleFormat, string> = {
  'json-v1': 'application/vnd.pypi.simple.v1+json',
  'html-v1': 'application/vnd.pypi.simple.v1+html',
  'html-legacy': 'text/html',
};

/** Our offers: a wildcard gets `text/html` first (PEP 691 keeps HTML the default); among types named exactly, JSON first. */
const OFFERS = [MEDIA_TYPE['html-legacy'], MEDIA_TYPE['html-v1'], MEDIA_TYPE['json-v1']];
const EXACT_ORDER = [MEDIA_TYPE['json-v1'], MEDIA_TYPE['html-v1'], MEDIA_TYPE['html-legacy']];

const FORMAT_OF: Record<string, SimpleFormat> = Object.fromEntries(Object.entries(MEDIA_TYPE).map(([f, t]) => [t, f as SimpleFormat]));

/** Content-Type to send for a format. */
export function mediaTypeOf(format: SimpleFormat): string {
  return format === 'json-v1' ? MEDIA_TYPE[format] : `${MEDIA_TYPE[format]}; charset=utf-8`;
}

/**
 * Picks the representation for an Accept header as the upstream index does (protocols §10): the best acceptable offer by q (see `acceptableOffers` for ties), and `text/html` when nothing
 * is acceptable (`application/json`, `text/plain`, ...): PEP 691 lets a server pick a default instead of a
 * 406, and the upstream does. Like the upstream, the `latest` meta-version is not an offer (it falls back to
 * `text/html`). No header means `*\/*`.
 */
export function negotiateSimpleFormat(accept: string | undefined): SimpleFormat {
  if (accept === undefined) return negotiate(accept);
  // Each installer sends one fixed Accept header; remember the answer per header, in a small bounded map.
  const known = remembered.get(accept);
  if (known !== undefined) return known;
  const format = negotiate(accept);
  if (accept.length <= MAX_REMEMBERED_LENGTH) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(accept, format);
  }
  return format;
}

const MAX_REMEMBERED = 256;
const MAX_REMEMBERED_LENGTH = 512;
const remembered = new Map<string, SimpleFormat>();

function negotiate(accept: string | undefined): SimpleFormat {
  const [best] = acceptableOffers(accept, OFFERS, EXACT_ORDER);
  return best === undefined ? 'html-legacy' : FORMAT_OF[best]!;
}
