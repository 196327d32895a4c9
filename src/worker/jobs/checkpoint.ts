// A running job's checkpoint: its multipart upload and where regeneration resumes. The runner
// stores one after every uploaded part; a later runner resumes from it, and the lifecycle aborts
// the uploads of jobs that ended without one.

import type { JobRow } from '../db/jobs';
import { errorFields, log } from '../log';
import type { UploadState } from '../output/multipart';

export interface Checkpoint {
  key: string;
  file_name: string;
  upload: UploadState;
  /** Keyset position after which rows are not fully uploaded (null: from the header on). */
  cursor: string | null;
  /** Bytes of the file that precede the rows after `cursor`. */
  cursor_offset: number;
  /** Rows up to `cursor`. */
  rows_done: number;
  /**
   * Set just before the upload is completed: if the runner dies between R2's complete and the
   * database's, the next runner finds the object with this size and records it instead of
   * uploading again.
   */
  finishing?: { size: number; rows: number; content_type: string };
}

/** Where a resumed runner starts regenerating: a keyset position and its byte offset. */
export type ResumePoint = Pick<Checkpoint, 'cursor' | 'cursor_offset' | 'rows_done'>;

export const FROM_THE_START: ResumePoint = { cursor: null, cursor_offset: 0, rows_done: 0 };

export function parseCheckpoint(text: string | null): Checkpoint | null {
  return text ? (JSON.parse(text) as Checkpoint) : null;
}

/**
 * Abort the multipart upload a job's checkpoint points to. True when nothing is left behind: the
 * upload is aborted, or it had been completed and its object is now deleted.
 */
export async function abortCheckpointUpload(bucket: R2Bucket, job: Pick<JobRow, 'id' | 'checkpoint'>): Promise<boolean> {
  const checkpoint = parseCheckpoint(job.checkpoint);
  if (!checkpoint) return true;
  if (await abortQuietly(job.id, () => bucket.resumeMultipartUpload(checkpoint.key, checkpoint.upload.upload_id).abort()))
    return true;
  try {
    // An upload that cannot be aborted may have been completed by a runner that died right after.
    if (!(await bucket.head(checkpoint.key))) return false;
    await bucket.delete(checkpoint.key);
    return true;
  } catch {
    return false;
  }
}

/** True when the abort went through; a failure is logged and left for the lifecycle to retry. */
export async function abortQuietly(jobId: string, abort: () => Promise<void> | undefined): Promise<boolean> {
  try {
    await abort();
    return true;
  } catch (err) {
    log('warn', 'report_job.abort_failed', { job_id: jobId, ...errorFields(err) });
    return false;
  }
}
