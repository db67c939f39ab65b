// Public API of pypi-service: the PyPI index's use-cases behind one facade, transport-free.
export { createPypiService, type PypiService, type PypiServiceDeps } from './lib/pypi-service';
export type { PypiUpstream } from './lib/ports';
export type { ProjectPageResult, ServedProject } from './lib/project-pages';
export type { FileDownload, FileRequest } from './lib/file-downloads';
export type { UploadForm, UploadedContent, UploadResult, ValidUpload } from './lib/uploads';
export type { PrivateFileRecord } from './lib/private-projects';
export type { ProvenanceAnswer } from './lib/provenances';
