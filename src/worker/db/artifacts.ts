import { CLAIM_HELD } from './jobs';
import { allRows } from './sql';

export interface ArtifactRow {
  id: string;
  job_id: string;
  r2_key: string;
  size_bytes: number;
  content_type: string;
  file_name: string;
  row_count: number;
  download_count: number;
  last_downloaded_at: number | null;
  created_at: number;
  expires_at: number;
  swept_at: number | null;
}

/** Inserted only while `token` still holds the running job; run it in the batch that completes the job. */
export function insertArtifactStatement(
  db: D1Database,
  a: Omit<ArtifactRow, 'download_count' | 'last_downloaded_at' | 'swept_at'>,
  token: string,
): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO event_report_job_artifacts
         (id, job_id, r2_key, size_bytes, content_type, file_name, row_count, created_at, expires_at)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${CLAIM_HELD}`,
    )
    .bind(
      a.id,
      a.job_id,
      a.r2_key,
      a.size_bytes,
      a.content_type,
      a.file_name,
      a.row_count,
      a.created_at,
      a.expires_at,
      a.job_id,
      token,
    );
}

export function findArtifactByJob(db: D1Database, jobId: string): Promise<ArtifactRow | null> {
  return db.prepare('SELECT * FROM event_report_job_artifacts WHERE job_id = ?').bind(jobId).first<ArtifactRow>();
}

export function recordDownloadStatement(db: D1Database, artifactId: string, now: number): D1PreparedStatement {
  return db
    .prepare('UPDATE event_report_job_artifacts SET download_count = download_count + 1, last_downloaded_at = ? WHERE id = ?')
    .bind(now, artifactId);
}

/** Artifacts past their retention whose objects are still in R2. */
export async function listExpiredArtifacts(db: D1Database, now: number, limit = 100): Promise<ArtifactRow[]> {
  return allRows<ArtifactRow>(
    db,
    'SELECT * FROM event_report_job_artifacts WHERE swept_at IS NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?',
    now,
    limit,
  );
}

/** Marks an artifact swept; the sweeper deletes the object only after this row says so. */
export function markArtifactSweptStatement(db: D1Database, id: string, now: number): D1PreparedStatement {
  return db
    .prepare('UPDATE event_report_job_artifacts SET swept_at = ? WHERE id = ? AND swept_at IS NULL RETURNING id')
    .bind(now, id);
}
