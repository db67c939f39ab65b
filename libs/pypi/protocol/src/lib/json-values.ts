/** Small readers for untrusted JSON values, shared by the parsers of upstream and uploaded documents. */
export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The string-valued entries of an object, keys and values lowercased (hash names and hex digests). */
export function lowercaseStringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(
    Object.entries(value)
      .filter((e): e is [string, string] => typeof e[1] === 'string')
      .map(([k, v]) => [k.toLowerCase(), v.toLowerCase()]),
  );
}

/** Absolute http(s) URL without its fragment, or undefined. */
export function resolveHttpUrl(href: string, base: string): string | undefined {
  try {
    const url = new URL(href, base);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    url.hash = '';
    return url.href;
  } catch {
    return undefined;
  }
}
