import { firstProjects, keepFiles, type Trim } from './trim';

/** One request to an upstream and where its answer goes. The URL lives in memory only. */
export interface Recording {
  /** Name of the recording; its body file is `<name>.json`, `.html` or `.txt` after what upstream answered. */
  name: string;
  /** False when only status and headers are kept. */
  keepBody?: boolean;
  url: string;
  method?: 'GET' | 'POST';
  accept?: string;
  requestBody?: string;
  /** What the recording is for (goes to the README). */
  purpose: string;
  trim?: { describe: string; apply: Trim };
}

const SIMPLE_JSON = 'application/vnd.pypi.simple.v1+json';
const SIMPLE_V1_HTML = 'application/vnd.pypi.simple.v1+html';
const INTEGRITY_JSON = 'application/vnd.pypi.integrity.v1+json';
const CORGI = 'application/vnd.npm.install-v1+json; q=1.0, application/json; q=0.8, */*';

const numpyFiles = (filename: string): boolean => /^numpy-1\.(9|10)\./.test(filename);

/** The PyPI answers the protocol tests compare against (`indexUrl` without trailing slash). */
export function pypiRecordings(indexUrl: string): Recording[] {
  const page = (project: string) => `${indexUrl}/${project}/`;
  const integrityBase = indexUrl.replace(/\/simple$/, '');
  return [
    { name: 'six.v1', url: page('six'), accept: SIMPLE_JSON, purpose: 'a small project page, PEP 691 JSON' },
    { name: 'six', url: page('six'), accept: 'text/html', purpose: 'the same page, PEP 503 HTML' },
    { name: 'six.v1-html', url: page('six'), accept: SIMPLE_V1_HTML, purpose: 'the same page asked as v1+html' },
    {
      name: 'numpy.v1', url: page('numpy'), accept: SIMPLE_JSON, purpose: 'a big project: `versions` vs filenames (1.10.0.post2)',
      trim: { describe: 'files of 1.9.x and 1.10.x only; meta, name and versions untouched', apply: keepFiles(numpyFiles) },
    },
    {
      name: 'numpy', url: page('numpy'), accept: 'text/html', purpose: 'the same page, HTML',
      trim: { describe: 'anchors of 1.9.x and 1.10.x only', apply: keepFiles(numpyFiles) },
    },
    { name: 'sampleproject.v1', url: page('sampleproject'), accept: SIMPLE_JSON, purpose: 'a project published with PEP 740 attestations on the public index' },
    { name: 'sampleproject', url: page('sampleproject'), accept: 'text/html', purpose: 'the same page, HTML' },
    {
      name: 'sampleproject-4.0.0.tar.gz.provenance', url: `${integrityBase}/integrity/sampleproject/4.0.0/sampleproject-4.0.0.tar.gz/provenance`,
      accept: INTEGRITY_JSON, purpose: 'the Integrity API provenance object of one file',
    },
    {
      name: 'root.v1', url: `${indexUrl}/`, accept: SIMPLE_JSON, purpose: 'the root project list, JSON',
      trim: { describe: 'first 25 projects', apply: firstProjects(25) },
    },
    {
      name: 'root', url: `${indexUrl}/`, accept: 'text/html', purpose: 'the root project list, HTML',
      trim: { describe: 'first 25 anchors', apply: firstProjects(25) },
    },
    { name: 'six.non-normalized', keepBody: false, url: page('Six'), purpose: 'a non-normalized project name' },
    { name: 'six.post', keepBody: false, url: page('six'), method: 'POST', requestBody: '', purpose: 'a method the index does not allow' },
  ];
}

/** Accept headers whose upstream answer (status, Content-Type) the negotiation tests compare against. */
export const SIMPLE_ACCEPT_PROBES: Array<string | undefined> = [
  undefined,
  '*/*',
  'text/html',
  SIMPLE_V1_HTML,
  SIMPLE_JSON,
  'application/vnd.pypi.simple.latest+json',
  'application/vnd.pypi.simple.latest+html',
  'application/json',
  'text/plain',
  'application/*',
  'text/*',
  `${SIMPLE_JSON};q=0`,
  `${SIMPLE_JSON}, text/html`,
  `${SIMPLE_JSON}, ${SIMPLE_V1_HTML}; q=0.1, text/html; q=0.01`,
  `${SIMPLE_JSON}, ${SIMPLE_V1_HTML};q=0.2, text/html;q=0.01`,
  `${SIMPLE_JSON}, */*;q=0.1`,
  'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
];

export const PACKUMENT_ACCEPT_PROBES: Array<string | undefined> = [undefined, 'application/json', CORGI, 'application/vnd.npm.install-v1+json'];

/** The npm answers (`registryUrl` without trailing slash). */
export function npmRecordings(registryUrl: string): Recording[] {
  return [
    { name: 'is-number', url: `${registryUrl}/is-number`, accept: 'application/json', purpose: 'a small full packument' },
    { name: 'is-number.corgi', url: `${registryUrl}/is-number`, accept: CORGI, purpose: 'the same package asked as abbreviated (corgi)' },
    { name: 'sigstore-sign', url: `${registryUrl}/@sigstore%2fsign`, accept: 'application/json', purpose: 'a scoped package published with provenance (signatures and attestations on the public registry)' },
    { name: 'sigstore-sign.corgi', url: `${registryUrl}/@sigstore%2fsign`, accept: CORGI, purpose: 'the same, abbreviated' },
    { name: 'keys', url: `${registryUrl}/-/npm/v1/keys`, accept: 'application/json', purpose: 'the registry signing keys document' },
    {
      name: 'advisories-bulk', keepBody: false, url: `${registryUrl}/-/npm/v1/security/advisories/bulk`, method: 'POST', accept: 'application/json',
      requestBody: JSON.stringify({ 'is-number': ['7.0.0'] }), purpose: 'the bulk advisory endpoint (npm audit)',
    },
  ];
}

/** The attestations document of a packument's latest version, at the URL its `dist.attestations` gives (or the conventional one). */
export function attestationsRecording(registryUrl: string, packument: string): Recording {
  const doc = JSON.parse(packument) as { name?: string; 'dist-tags'?: Record<string, string>; versions?: Record<string, { dist?: { attestations?: { url?: string } } }> };
  const latest = doc['dist-tags']?.['latest'] ?? '';
  const given = doc.versions?.[latest]?.dist?.attestations?.url;
  const conventional = `${registryUrl}/-/npm/v1/attestations/${(doc.name ?? '').replace('/', '%2f')}@${latest}`;
  return { name: 'sigstore-sign.attestations', url: given ?? conventional, accept: 'application/json', purpose: `the attestations document of ${doc.name}@${latest}` };
}
