import type { PushLink } from '../push/types';
import type { Db } from './db';

interface PushRow {
  version_id: string;
  registry: string;
  model_id: string;
  remote_version_id: string;
  image_ref: string;
  pushed_at: string;
}

function toLink(r: PushRow): PushLink {
  return {
    versionId: r.version_id,
    registry: r.registry,
    modelId: r.model_id,
    remoteVersionId: r.remote_version_id,
    imageRef: r.image_ref,
    pushedAt: r.pushed_at,
  };
}

/**
 * Which local version was pushed as which version of a Replicate model. A row is written only once
 * Replicate shows the version, so there is never a half-recorded push; it goes with its local version.
 */
export class PushStore {
  constructor(private readonly db: Db) {}

  /** Records a push (pushing the same version to the same model again only updates when). */
  record(link: Omit<PushLink, 'pushedAt'> & { pushedAt?: string }): PushLink {
    const row: PushRow = {
      version_id: link.versionId,
      registry: link.registry,
      model_id: link.modelId,
      remote_version_id: link.remoteVersionId,
      image_ref: link.imageRef,
      pushed_at: link.pushedAt ?? new Date().toISOString(),
    };
    this.db
      .prepare(
        `INSERT INTO pushes (version_id, registry, model_id, remote_version_id, image_ref, pushed_at)
         VALUES (@version_id, @registry, @model_id, @remote_version_id, @image_ref, @pushed_at)
         ON CONFLICT(version_id, registry, model_id, remote_version_id)
         DO UPDATE SET image_ref = excluded.image_ref, pushed_at = excluded.pushed_at`,
      )
      .run(row);
    return toLink(row);
  }

  /** Where a local version was pushed, newest first. */
  forVersion(versionId: string): PushLink[] {
    return (
      this.db.prepare('SELECT * FROM pushes WHERE version_id = ? ORDER BY pushed_at DESC, rowid DESC').all(versionId) as PushRow[]
    ).map(toLink);
  }

  /** The local versions pushed to a Replicate model (`owner/name`) on a registry, newest first. */
  forModel(registry: string, modelId: string): PushLink[] {
    return (
      this.db
        .prepare('SELECT * FROM pushes WHERE registry = ? AND model_id = ? ORDER BY pushed_at DESC, rowid DESC')
        .all(registry, modelId) as PushRow[]
    ).map(toLink);
  }

  /** The local version a Replicate version came from, if it was pushed from here. */
  byRemoteVersion(remoteVersionId: string): PushLink | null {
    const row = this.db
      .prepare('SELECT * FROM pushes WHERE remote_version_id = ? ORDER BY pushed_at DESC, rowid DESC LIMIT 1')
      .get(remoteVersionId) as PushRow | undefined;
    return row ? toLink(row) : null;
  }

  all(): PushLink[] {
    return (this.db.prepare('SELECT * FROM pushes ORDER BY pushed_at DESC, rowid DESC').all() as PushRow[]).map(toLink);
  }
}
