/** A Core Metadata file (PKG-INFO, METADATA) read whole: its header fields and its long description. */
export interface CoreMetadata {
  /** Values by lower-case field name, in file order (multiple-use fields such as Requires-Dist keep them all). */
  fields: ReadonlyMap<string, readonly string[]>;
  /** The message body (metadata 2.1+), else the `Description` field with its continuation prefix removed. */
  description: string | undefined;
}

/**
 * RFC 822 style, as the core metadata specification writes it: continuation lines start with white space,
 * and a `Description` field continues with `        |` (setuptools) or plain indentation.
 */
export function parseCoreMetadata(metadata: Buffer | string): CoreMetadata {
  const text = (typeof metadata === 'string' ? metadata : metadata.toString('utf8')).replace(/\r\n/g, '\n');
  const split = text.indexOf('\n\n');
  const head = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const fields = new Map<string, string[]>();
  let last: { name: string; lines: string[] } | undefined;
  const flush = () => {
    if (last) fields.set(last.name, [...(fields.get(last.name) ?? []), last.lines.join('\n')]);
  };
  for (const line of head.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      last.lines.push(line.replace(/^ {8}\|?|^\t\|?|^ +/, ''));
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    flush();
    last = { name: line.slice(0, colon).trim().toLowerCase(), lines: [line.slice(colon + 1).trim()] };
  }
  flush();
  const description = body.trim() !== '' ? body : fields.get('description')?.[0];
  return { fields, description: description === undefined || description.trim() === '' ? undefined : description };
}
