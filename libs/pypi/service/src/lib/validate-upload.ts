import { AppError } from '@registry/shared-errors';
import {
  filenameMatches, isValidProjectName, normalizeProjectName, parseDistributionFilename, type DistributionKind,
} from '@registry/pypi-protocol';
import { field, type UploadedContent, type UploadForm } from './upload-form';

export interface ValidUpload {
  name: string;
  normalized: string;
  version: string;
  kind: DistributionKind;
  requiresPython: string | null;
  content: UploadedContent;
}

const METADATA_VERSIONS = new Set(['1.0', '1.1', '1.2', '2.0', '2.1', '2.2', '2.3', '2.4', '2.5']);
const FILETYPE_KIND: Record<string, DistributionKind> = { sdist: 'sdist', bdist_wheel: 'wheel' };
// PEP 440 characters (public and local segments); full parsing is the client's job, this keeps keys sane.
const VERSION = /^[A-Za-z0-9][A-Za-z0-9.+!_-]{0,127}$/;
const BAD_FILENAME = /[\u0000-\u001f\u007f/\\]/;

const bad = (message: string) => new AppError('invalid_request', message);

/**
 * PyPI's upload checks that make sense for a private index (protocols §2.4), in PyPI's order and with
 * its wording where uploaders match on it. Digests are compared against what the transport computed.
 */
export function validateUpload(form: UploadForm): ValidUpload {
  const action = field(form, ':action');
  if (action === 'submit' || action === 'doc_upload') throw new AppError('gone', `${action} is not supported; upload files directly`);
  if (action !== 'file_upload') throw bad(`Unknown :action ${JSON.stringify(action ?? '')}`);
  if ((field(form, 'protocol_version') ?? '1') !== '1') throw bad('Unknown protocol version.');
  const name = field(form, 'name');
  if (name === undefined || !isValidProjectName(name)) throw bad(`Invalid value for name: ${JSON.stringify(name ?? '')}`);
  const version = field(form, 'version');
  if (version === undefined || !VERSION.test(version)) throw bad(`Invalid value for version: ${JSON.stringify(version ?? '')}`);
  const filetype = field(form, 'filetype') ?? '';
  const kind = FILETYPE_KIND[filetype];
  if (kind === undefined) throw bad(`Invalid value for filetype: ${JSON.stringify(filetype)}`);
  checkPyversion(kind, field(form, 'pyversion'));
  const metadataVersion = field(form, 'metadata_version');
  if (metadataVersion !== undefined && !METADATA_VERSIONS.has(metadataVersion)) throw bad(`Unsupported metadata_version ${metadataVersion}`);
  const content = form.content;
  if (content === undefined) throw bad('Upload payload does not have a file.');
  checkFilename(content.filename, kind, name, version);
  checkDigests(form, content);
  return { name, normalized: normalizeProjectName(name), version, kind, requiresPython: field(form, 'requires_python') ?? null, content };
}

function checkPyversion(kind: DistributionKind, pyversion: string | undefined): void {
  if (kind === 'sdist' && pyversion !== undefined && pyversion !== 'source') throw bad('Use "source" as the pyversion for an sdist.');
  if (kind === 'wheel' && pyversion === undefined) throw bad('Invalid value for pyversion: a wheel needs its python tag.');
}

function checkFilename(filename: string, kind: DistributionKind, name: string, version: string): void {
  if (filename === '' || BAD_FILENAME.test(filename)) throw bad('Invalid filename: control characters and slashes are not allowed.');
  const parsed = parseDistributionFilename(filename, name);
  if (parsed === undefined || parsed.kind !== kind) throw bad(`Invalid filename ${JSON.stringify(filename)} for filetype ${kind === 'wheel' ? 'bdist_wheel' : 'sdist'}.`);
  if (!filenameMatches(parsed, name, version)) {
    throw bad(`Start filename for ${JSON.stringify(name)} with ${JSON.stringify(`${name}-${version}`)} (normalized), not ${JSON.stringify(filename)}.`);
  }
}

function checkDigests(form: UploadForm, content: UploadedContent): void {
  const sha256 = field(form, 'sha256_digest')?.toLowerCase();
  const blake2 = field(form, 'blake2_256_digest')?.toLowerCase();
  const md5 = field(form, 'md5_digest');
  if (sha256 === undefined && blake2 === undefined && md5 === undefined) throw bad('Include at least one message digest.');
  const md5Matches = md5 === undefined || md5.toLowerCase() === content.md5 || md5 === Buffer.from(content.md5, 'hex').toString('base64url');
  if ((sha256 !== undefined && sha256 !== content.sha256) || (blake2 !== undefined && blake2 !== content.blake2b256) || !md5Matches) {
    throw bad('The digest supplied does not match a digest calculated from the uploaded file.');
  }
}
