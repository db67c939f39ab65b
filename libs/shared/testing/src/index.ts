export { requireServicesEnv, s3AppEnv, servicesEnvFile, type ServicesEnv } from './lib/services-env';
export { makeTempDir, uniqueSuffix } from './lib/temp-dir';
export { waitFor } from './lib/wait-for';
export { freePort } from './lib/free-port';
export { startAppProcess, type AppProcess, type StartAppProcessOptions } from './lib/start-app-process';
export { loadRecordedFixtures, type RecordedExchange, type RecordedFixtures } from './lib/recorded-fixtures';
export { BREAKING_FAULTS, startFaultProxy, type Fault, type FaultProxy } from './lib/fault-proxy';
export { worldStarter, type PrivateWorld, type ProxiedWorld, type WorldOptions } from './lib/test-world';
export { statusBeforeBody } from './lib/status-before-body';
