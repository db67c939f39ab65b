import type { Express } from 'express';
import type { Logger } from '@registry/shared-logger';
import type { IdentityService } from '@registry/auth-identity';
import { createHttpApp, finishHttpApp, type HttpMetrics, type ReadinessCheck } from '@registry/shared-http-server';
import type { PypiService } from '@registry/pypi-service';
import { filesRouter } from './routes/files.route';
import { manageRouter } from './routes/manage.route';
import { simpleRouter } from './routes/simple.route';
import { uploadRouter } from './routes/upload.route';

export interface PypiAppDeps {
  service: PypiService;
  identity: IdentityService;
  logger: Logger;
  metrics: HttpMetrics;
  readiness?: ReadinessCheck[];
  trustProxy?: boolean;
  uploadTmpDir: string;
  maxUploadBytes: number;
}

/** The pypi-proxy HTTP app (README "Routes"); main.ts and the component tests build it the same way. */
export function createPypiApp(deps: PypiAppDeps): Express {
  const app = createHttpApp({
    logger: deps.logger, metrics: deps.metrics, trustProxy: deps.trustProxy ?? false,
    ...(deps.readiness ? { readiness: deps.readiness } : {}),
  });
  // Most requests first: Express tries routers in order, and installers read pages and files.
  app.use(simpleRouter(deps.service));
  app.use(filesRouter(deps.service));
  app.use(uploadRouter({ service: deps.service, identity: deps.identity, logger: deps.logger, tmpDir: deps.uploadTmpDir, maxFileBytes: deps.maxUploadBytes }));
  app.use(manageRouter(deps.service, deps.identity));
  return finishHttpApp(app, deps.logger);
}
