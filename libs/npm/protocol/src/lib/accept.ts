export const ABBREVIATED_MEDIA_TYPE = 'application/vnd.npm.install-v1+json';

/**
 * True when the client asked for the abbreviated ("corgi") packument with q > 0 (protocols §3.2).
 * npm, pnpm and yarn v1 send it; yarn berry does not and gets the full document.
 */
export function wantsAbbreviated(accept: string | undefined): boolean {
  if (!accept) return false;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim());
    if (type?.toLowerCase() !== ABBREVIATED_MEDIA_TYPE) return false;
    const q = params.find((p) => p.toLowerCase().startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
