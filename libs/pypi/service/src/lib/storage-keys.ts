/**
 * Object-store layout of the PyPI side. Private files are content-addressed (sha256 in the key) so
 * two racing uploads of one filename never overwrite each other's bytes: only the project document,
 * updated with compare-and-swap, decides which one is published.
 */
export const storageKeys = {
  privateProject: (project: string) => `pypi/projects/${project}.json`,
  privateProjectsPrefix: 'pypi/projects/',
  privateFile: (project: string, sha256: string, filename: string) => `pypi/private/${project}/${sha256}/${filename}`,
  privateMetadata: (project: string, sha256: string, filename: string) => `pypi/private/${project}/${sha256}/${filename}.metadata`,
  /** The provenance object of a private file (PEP 740) beside its bytes, content-addressed as they are. */
  privateProvenance: (project: string, sha256: string, provenanceSha256: string) => `pypi/private/${project}/${sha256}/provenance-${provenanceSha256}.json`,
  upstreamFile: (project: string, filename: string) => `pypi/upstream/${project}/${filename}`,
  upstreamMetadata: (project: string, filename: string) => `pypi/upstream/${project}/${filename}.metadata`,
  upstreamPage: (project: string) => `pypi/upstream-pages/${project}.json`,
  upstreamPagesPrefix: 'pypi/upstream-pages/',
  /** Outside the pages prefix: the root index is no project. */
  upstreamRootIndex: 'pypi/upstream-index/root.json',
  /** An upstream file's provenance, named `<project>/<version>/<filename>` (the Integrity API's segments). */
  upstreamProvenance: (name: string) => `pypi/upstream-provenance/${name}.json`,
};
