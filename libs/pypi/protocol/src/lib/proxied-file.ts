import type { DistributionFile } from './project-page';
import { proxiedProvenanceUrl } from './provenance';

export interface ProxiedFileOptions {
  /** Normalized project name. */
  project: string;
  /** Our URL for the file (protocols §1.12: every file URL is rewritten). */
  fileUrl: string;
  /** Absolute URL clients reach this index at, for the Integrity API URLs (PEP 740 wants them absolute). */
  baseUrl: string;
}

/**
 * How an upstream file is offered on our page (protocols §10): at our URL,
 * with its sha256 (the digest we verify on download); a metadata file only with a sha256 we can verify the
 * `.metadata` bytes against, otherwise `false` where upstream said false and nothing where upstream said
 * nothing or gave no hash; the provenance URL moved to our Integrity API (`null` kept, absence kept).
 * Everything else is upstream's, untouched.
 */
export function proxiedUpstreamFile(file: DistributionFile, opts: ProxiedFileOptions): DistributionFile {
  const sha256 = file.hashes['sha256'];
  const out: DistributionFile = { ...file, url: opts.fileUrl, hashes: sha256 === undefined ? {} : { sha256 } };
  delete out.coreMetadata;
  delete out.provenance;
  const metadata = file.coreMetadata;
  if (typeof metadata === 'object' && metadata['sha256'] !== undefined) out.coreMetadata = { sha256: metadata['sha256'] };
  else if (metadata === false) out.coreMetadata = false;
  if (file.provenance === null) out.provenance = null;
  else if (typeof file.provenance === 'string') {
    const url = proxiedProvenanceUrl(file.provenance, opts.project, file.filename, opts.baseUrl);
    if (url !== undefined) out.provenance = url;
  }
  return out;
}
