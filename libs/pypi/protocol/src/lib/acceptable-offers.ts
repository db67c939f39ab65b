/**
 * Server-driven content negotiation (RFC 9110 §12.5.1) as the upstream indexes do it: each offer takes the
 * q of the most specific Accept range that matches it (exact type over `type/*` over `*\/*`; the first range
 * wins among equally specific ones), offers with q 0 drop out, and the rest are ranked by q. On equal q a
 * more specific match wins; among offers the client named exactly, `exactOrder` decides (the recorded
 * upstream answers JSON to `v1+json, text/html`), otherwise the order of `offers` (a bare `*\/*` gets the
 * first offer).
 */
export function acceptableOffers<T extends string>(accept: string | undefined, offers: readonly T[], exactOrder: readonly T[] = offers): T[] {
  const ranges = parseAccept(accept ?? '');
  // No header, or one without a single valid range, accepts everything (as if it were `*/*`).
  if (ranges.length === 0) return [...offers];
  const scored: Array<{ offer: T; q: number; specificity: number; rank: number }> = [];
  offers.forEach((offer, index) => {
    let best: { q: number; specificity: number } | undefined;
    for (const range of ranges) {
      const specificity = specificityOf(range.type, offer);
      if (specificity > (best?.specificity ?? -1)) best = { q: range.q, specificity };
    }
    if (best === undefined || best.q <= 0) return;
    const rank = best.specificity === EXACT ? exactOrder.indexOf(offer) : index;
    scored.push({ offer, ...best, rank });
  });
  return scored.sort((a, b) => b.q - a.q || b.specificity - a.specificity || a.rank - b.rank).map((s) => s.offer);
}

interface Range {
  type: string;
  q: number;
}

const EXACT = 3;

/** 3 = the offer itself, 2 = `type/*`, 1 = `*\/*`, -1 = no match. */
function specificityOf(range: string, offer: string): number {
  if (range === offer) return EXACT;
  const slash = offer.indexOf('/');
  if (range === `${offer.slice(0, slash)}/*`) return 2;
  if (range === '*/*') return 1;
  return -1;
}

function parseAccept(header: string): Range[] {
  return header.split(',').flatMap((entry) => {
    const [type = '', ...params] = entry.split(';').map((s) => s.trim().toLowerCase());
    if (!/^[a-z0-9!#$&^_.+*-]+\/[a-z0-9!#$&^_.+*-]+$/.test(type)) return [];
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    return [{ type, q: Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0 }];
  });
}
