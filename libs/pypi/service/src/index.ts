// Public API of pypi-service: the PyPI use-cases, transport-free.
export { createPypiService, type PypiService, type PypiServiceOptions, type ProjectPageResponse } from './lib/pypi-service';
export type { RenderedPage } from './lib/project-pages';
export type { FileDownload, DownloadRequest } from './lib/file-downloads';
export type { UploadForm, UploadedContent } from './lib/upload-form';
export type { UploadResult, UploadRequest } from './lib/uploads';
export type { RequestContext } from './lib/request-context';
export type { PrivateFileRecord } from './lib/private-projects';
