import { AppError } from '@registry/shared-errors';
import type { AuditClient } from '@registry/audit-client';
import type { Principal } from '@registry/auth-identity';
import type { BlobStore } from '@registry/storage-blob-store';
import type { PrivateFileRecord, PrivateProject, PrivateProjectWriter } from './private-projects';
import type { ProjectPages } from './project-pages';
import { recordEvent, type RequestContext } from './request-context';
import { storageKeys } from './storage-keys';

export type FileOperation = 'yank' | 'unyank' | 'delete';

/** Yank / unyank (PEP 592; owners and admins) and delete (admins) of private files. */
export class ManageFiles {
  constructor(private readonly deps: { store: BlobStore; writer: PrivateProjectWriter; pages: ProjectPages; audit: AuditClient }) {}

  async setYanked(project: string, filename: string, yanked: false | string, principal: Principal, ctx: RequestContext): Promise<PrivateFileRecord> {
    const operation = yanked === false ? 'unyank' : 'yank';
    return this.audited(project, filename, operation, principal, ctx, async () => {
      let updated: PrivateFileRecord | undefined;
      await this.deps.writer.update(project, (current) => {
        const file = fileOf(current, filename);
        requireOwner(current as PrivateProject, principal, false);
        updated = { ...file, yanked };
        return { ...(current as PrivateProject), files: { ...current!.files, [filename]: updated } };
      });
      return updated as PrivateFileRecord;
    });
  }

  async delete(project: string, filename: string, principal: Principal, ctx: RequestContext): Promise<PrivateFileRecord> {
    return this.audited(project, filename, 'delete', principal, ctx, async () => {
      let removed: PrivateFileRecord | undefined;
      await this.deps.writer.update(project, (current) => {
        removed = fileOf(current, filename);
        requireOwner(current as PrivateProject, principal, true);
        const files = { ...current!.files };
        delete files[filename];
        return { ...(current as PrivateProject), files, deletedFilenames: [...current!.deletedFilenames, filename] };
      });
      const file = removed as PrivateFileRecord;
      await this.deps.store.delete(storageKeys.privateFile(project, file.sha256, filename));
      await this.deps.store.delete(storageKeys.privateMetadata(project, file.sha256, filename));
      return file;
    });
  }

  private async audited(
    project: string, filename: string, operation: FileOperation, principal: Principal, ctx: RequestContext,
    run: () => Promise<PrivateFileRecord>,
  ): Promise<PrivateFileRecord> {
    const base = { event_type: 'pypi.package.metadata' as const, package: project, filename, extra: { operation, user: principal.user.name } };
    try {
      const file = await run();
      this.deps.pages.invalidate(project);
      recordEvent(this.deps.audit, ctx, { ...base, version: file.version, size: file.size, status_code: 200 });
      return file;
    } catch (err) {
      recordEvent(this.deps.audit, ctx, { ...base, status_code: ctx.statusOfError(err) });
      throw err;
    }
  }
}

function fileOf(project: PrivateProject | undefined, filename: string): PrivateFileRecord {
  const file = project?.files[filename];
  if (file === undefined) throw new AppError('not_found', `no private file ${filename}`);
  return file;
}

function requireOwner(project: PrivateProject, principal: Principal, adminOnly: boolean): void {
  if (principal.readonly) throw new AppError('forbidden', 'This token is read-only.');
  if (principal.user.roles.includes('admin')) return;
  if (adminOnly) throw new AppError('forbidden', 'Only an admin may delete files.');
  if (!project.owners.includes(principal.user.name)) throw new AppError('forbidden', `The user '${principal.user.name}' does not own this project.`);
}
