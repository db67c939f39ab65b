import { AppError } from '@registry/shared-errors';
import type { Principal } from '@registry/auth-identity';
import type { BlobStore } from '@registry/storage-blob-store';
import { isValidProjectName, type ProjectStatus } from '@registry/pypi-protocol';
import { privateFileOf, safeFilesWithout, updatePrivateProject, withFile, type PrivateFileRecord, type PrivateProject } from './private-projects';
import type { ProjectPages } from './project-pages';
import { storageKeys } from './storage-keys';

/** Yank / unyank (PEP 592; owners and admins) and delete (admins) of private files; the project status (PEP 792). */
export class ManageFiles {
  constructor(private readonly deps: { store: BlobStore; pages: ProjectPages }) {}

  /** Sets a private project's PEP 792 status (owners and admins); `archived` and `quarantined` stop uploads. */
  async setStatus(project: string, status: ProjectStatus, principal: Principal): Promise<ProjectStatus> {
    requireProjectName(project);
    await updatePrivateProject(this.deps.store, project, (current) => {
      if (current === undefined) throw new AppError('not_found', `no private project ${project}`);
      requireOwner(current, principal, false);
      return { ...current, status };
    });
    this.deps.pages.invalidate(project);
    return status;
  }

  async setYanked(project: string, filename: string, yanked: false | string, principal: Principal): Promise<PrivateFileRecord> {
    requireProjectName(project);
    let updated: PrivateFileRecord | undefined;
    await updatePrivateProject(this.deps.store, project, (current) => {
      const file = fileOf(current, filename);
      requireOwner(current as PrivateProject, principal, false);
      updated = { ...file, yanked };
      return { ...(current as PrivateProject), files: withFile(current!.files, updated) };
    });
    this.deps.pages.invalidate(project);
    return updated as PrivateFileRecord;
  }

  async delete(project: string, filename: string, principal: Principal): Promise<PrivateFileRecord> {
    requireProjectName(project);
    let removed: PrivateFileRecord | undefined;
    await updatePrivateProject(this.deps.store, project, (current) => {
      removed = fileOf(current, filename);
      requireOwner(current as PrivateProject, principal, true);
      return { ...(current as PrivateProject), files: safeFilesWithout(current!.files, filename), deletedFilenames: [...current!.deletedFilenames, filename] };
    });
    this.deps.pages.invalidate(project);
    const file = removed as PrivateFileRecord;
    await this.deps.store.delete(storageKeys.privateFile(project, file.sha256, filename));
    await this.deps.store.delete(storageKeys.privateMetadata(project, file.sha256, filename));
    if (file.provenanceSha256) await this.deps.store.delete(storageKeys.privateProvenance(project, file.sha256, file.provenanceSha256));
    return file;
  }
}

/** The project segment comes from the URL: a name that is not a PEP 508 name names no project (protocols §1.2). */
function requireProjectName(project: string): void {
  if (!isValidProjectName(project)) throw new AppError('not_found', 'no private project with that name');
}

function fileOf(project: PrivateProject | undefined, filename: string): PrivateFileRecord {
  const file = privateFileOf(project, filename);
  if (file === undefined) throw new AppError('not_found', `no private file ${filename}`);
  return file;
}

function requireOwner(project: PrivateProject, principal: Principal, adminOnly: boolean): void {
  if (principal.readonly) throw new AppError('forbidden', 'This token is read-only.');
  if (principal.user.roles.includes('admin')) return;
  if (adminOnly) throw new AppError('forbidden', 'Only an admin may delete files.');
  if (!project.owners.includes(principal.user.name)) throw new AppError('forbidden', `The user '${principal.user.name}' does not own this project.`);
}
