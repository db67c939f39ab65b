import { AppError } from '@registry/shared-errors';
import type { ProjectPage } from './project-page';

/** PEP 792 project status markers (protocols §12). */
export const PROJECT_STATUS_MARKERS = ['active', 'archived', 'quarantined', 'deprecated'] as const;
export type ProjectStatusMarker = (typeof PROJECT_STATUS_MARKERS)[number];

export interface ProjectStatus {
  status: ProjectStatusMarker;
  /** Free text shown to users (`project-status.reason`, `pypi:project-status-reason`). */
  reason?: string | undefined;
}

/** Longest reason we accept from an owner; upstream reasons are kept as they are. */
export const MAX_STATUS_REASON_LENGTH = 1000;

export const isProjectStatusMarker = (value: unknown): value is ProjectStatusMarker =>
  typeof value === 'string' && (PROJECT_STATUS_MARKERS as readonly string[]).includes(value);

/**
 * A status read from an upstream page: a known marker (unknown ones are dropped, since their index
 * semantics are unknown) and a string reason if any. Undefined when there is nothing usable.
 */
export function statusFromUpstream(status: unknown, reason: unknown): ProjectStatus | undefined {
  if (!isProjectStatusMarker(status)) return undefined;
  return typeof reason === 'string' ? { status, reason } : { status };
}

/** Validates a status an owner or admin sets on a private project (`{status, reason?}`); 400 on anything else. */
export function parseProjectStatus(input: unknown): ProjectStatus {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw bad('a project status must be a JSON object');
  const { status, reason, ...rest } = input as Record<string, unknown>;
  if (Object.keys(rest).length > 0) throw bad(`unknown project status field(s): ${Object.keys(rest).join(', ').slice(0, 100)}`);
  if (!isProjectStatusMarker(status)) throw bad(`status must be one of ${PROJECT_STATUS_MARKERS.join(', ')}`);
  if (reason === undefined || reason === null || reason === '') return { status };
  if (typeof reason !== 'string') throw bad('reason must be a string');
  if (reason.length > MAX_STATUS_REASON_LENGTH) throw bad(`reason is longer than ${MAX_STATUS_REASON_LENGTH} characters`);
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(reason)) throw bad('reason contains control characters');
  return { status, reason };
}

const bad = (message: string) => new AppError('invalid_request', message);

/** PEP 792: `archived` and `quarantined` projects take no new uploads; `active` and `deprecated` do. */
export const statusAllowsUploads = (status: ProjectStatus | undefined): boolean =>
  status === undefined || status.status === 'active' || status.status === 'deprecated';

/** PEP 792: a `quarantined` project offers no distributions for download. */
export const statusOffersFiles = (status: ProjectStatus | undefined): boolean => status?.status !== 'quarantined';

/**
 * The page as a status says clients may see it: a quarantined project lists no files and, like the
 * upstream index (which derives `versions` from the files it offers), no versions.
 */
export function applyProjectStatus(page: ProjectPage): ProjectPage {
  return statusOffersFiles(page.projectStatus) ? page : { ...page, files: [], versions: [] };
}
