/** The representations of a simple API page (PEP 691). */
export type SimpleFormat = 'json-v1' | 'html-v1' | 'html-legacy';

const MEDIA_TYPE: Record<SimpleFormat, string> = {
  'json-v1': 'application/vnd.pypi.simple.v1+json',
  'html-v1': 'application/vnd.pypi.simple.v1+html',
  'html-legacy': 'text/html',
};

const ALIASES: Record<string, SimpleFormat> = {
  'application/vnd.pypi.simple.v1+json': 'json-v1',
  'application/vnd.pypi.simple.latest+json': 'json-v1',
  'application/vnd.pypi.simple.v1+html': 'html-v1',
  'application/vnd.pypi.simple.latest+html': 'html-v1',
  'text/html': 'html-legacy',
};

/** On equal quality an explicitly named JSON wins; a bare wildcard gets the legacy HTML (PEP 691 default). */
const EXPLICIT_PREFERENCE: SimpleFormat[] = ['json-v1', 'html-v1', 'html-legacy'];
const WILDCARD_PREFERENCE: SimpleFormat[] = ['html-legacy', 'html-v1', 'json-v1'];

interface Range {
  type: string;
  q: number;
}

/** Content-Type to send for a format (always the concrete v1 type, never `latest`). */
export function mediaTypeOf(format: SimpleFormat): string {
  return format === 'json-v1' ? MEDIA_TYPE[format] : `${MEDIA_TYPE[format]}; charset=utf-8`;
}

/**
 * Picks the representation for an Accept header (protocols §1.3): the highest q among the formats, the
 * most specific matching range deciding a format's q. No header means `*\/*`. Returns undefined when
 * nothing is acceptable; the caller answers 406.
 */
export function negotiateSimpleFormat(accept: string | undefined): SimpleFormat | undefined {
  if (accept === undefined) return negotiate(accept);
  // Each installer sends one fixed Accept header; remember the answer per header, in a small bounded map.
  const known = remembered.get(accept);
  if (known !== undefined) return known ?? undefined;
  const format = negotiate(accept);
  if (accept.length <= MAX_REMEMBERED_LENGTH) {
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(accept, format ?? null);
  }
  return format;
}

const MAX_REMEMBERED = 256;
const MAX_REMEMBERED_LENGTH = 512;
const remembered = new Map<string, SimpleFormat | null>();

function negotiate(accept: string | undefined): SimpleFormat | undefined {
  const ranges = parseAccept(accept === undefined || accept.trim() === '' ? '*/*' : accept);
  let best: { format: SimpleFormat; q: number; specificity: number; rank: number } | undefined;
  for (const format of EXPLICIT_PREFERENCE) {
    const match = bestRangeFor(format, ranges);
    if (match === undefined || match.q <= 0) continue;
    const rank = (match.specificity === 2 ? EXPLICIT_PREFERENCE : WILDCARD_PREFERENCE).indexOf(format);
    const better =
      best === undefined ||
      match.q > best.q ||
      (match.q === best.q && (match.specificity > best.specificity || (match.specificity === best.specificity && rank < best.rank)));
    if (better) best = { format, q: match.q, specificity: match.specificity, rank };
  }
  return best?.format;
}

function bestRangeFor(format: SimpleFormat, ranges: Range[]): { q: number; specificity: number } | undefined {
  let found: { q: number; specificity: number } | undefined;
  for (const range of ranges) {
    const specificity = specificityOf(range.type, format);
    if (specificity < 0) continue;
    if (found === undefined || specificity > found.specificity) found = { q: range.q, specificity };
    else if (specificity === found.specificity && range.q > found.q) found.q = range.q;
  }
  return found;
}

/** 2 = exact (or alias), 1 = `type/*`, 0 = `*\/*`, -1 = no match. */
function specificityOf(range: string, format: SimpleFormat): number {
  if (ALIASES[range] === format) return 2;
  const [type] = MEDIA_TYPE[format].split('/');
  if (range === `${type}/*`) return 1;
  if (range === '*/*') return 0;
  return -1;
}

function parseAccept(header: string): Range[] {
  return header.split(',').flatMap((entry) => {
    const [type = '', ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    if (type === '') return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return [{ type, q: Number.isFinite(q) ? q : 0 }];
  });
}
