import { parseCoreMetadata } from '@registry/pypi-protocol';
import type { CoreMetadataView } from '@registry/web-console';

/**
 * The page's reading of a METADATA file: summary, the long description and whether it is Markdown
 * (Description-Content-Type; reST and plain text are shown as text), requirements, links.
 */
export function coreMetadataViewOf(metadata: Buffer, version: string): CoreMetadataView {
  const { fields, description } = parseCoreMetadata(metadata);
  const first = (name: string): string | undefined => {
    const value = fields.get(name)?.[0]?.trim();
    return value ? value : undefined;
  };
  const summary = first('summary');
  const license = first('license-expression') ?? first('license');
  const requiresPython = first('requires-python');
  const contentType = (first('description-content-type') ?? '').toLowerCase();
  const homepage = first('home-page');
  const projectUrls = [
    ...(homepage ? [['Homepage', homepage] as const] : []),
    ...(fields.get('project-url') ?? []).flatMap((entry) => {
      const comma = entry.indexOf(',');
      return comma > 0 ? [[entry.slice(0, comma).trim(), entry.slice(comma + 1).trim()] as const] : [];
    }),
  ];
  return {
    version, requiresDist: fields.get('requires-dist') ?? [], projectUrls,
    ...(summary ? { summary } : {}), ...(license && license.length <= 200 ? { license } : {}), ...(requiresPython ? { requiresPython } : {}),
    ...(description ? { description: { text: description, markdown: contentType.startsWith('text/markdown') } } : {}),
  };
}
