export { requireServicesEnv, type ServicesEnv } from './lib/services-env';
export { makeTempDir, uniqueSuffix } from './lib/temp-dir';
export { waitFor } from './lib/wait-for';
