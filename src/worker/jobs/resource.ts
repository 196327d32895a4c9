// A job as the API shows it: the row, its file, its notifications, a signed link while the file
// can be downloaded, and what the report center needs to say about it (stuck, what helps after a
// failure). One shape for the report center, the orders page and the token API.

import type { JobListRow } from '../db/job-list';
import type { JobRow } from '../db/jobs';
import { type Env, settings } from '../env';
import { findReportType } from '../reports/catalog';
import { downloadPath, linkExpiry, signDownloadUrl } from '../signing';
import { failureRemedy } from './failures';
import { isStuck } from './state';

/** The job's file can still be served: completed, not swept, and within its retention. */
export function fileAvailable(row: JobListRow, now: number): boolean {
  return row.status === 'completed' && row.artifact_swept_at === null && (row.artifact_expires_at ?? 0) > now;
}

/** A job just inserted, as the list would read it: no file, no emails yet, asked for by `requesterName`. */
export function newJobListRow(job: JobRow, requesterName: string | null): JobListRow {
  return {
    ...job,
    requested_by_name: requesterName,
    artifact_file_name: null,
    artifact_size_bytes: null,
    artifact_content_type: null,
    artifact_row_count: null,
    artifact_download_count: null,
    artifact_last_downloaded_at: null,
    artifact_expires_at: null,
    artifact_swept_at: null,
    bounced_recipients: '[]',
    notification_statuses: '[]',
    notifications: '[]',
    retried_by: null,
  };
}

export type JobResource = Awaited<ReturnType<typeof jobResource>>;

export async function jobResource(env: Env, row: JobListRow, now: number) {
  const bounced = JSON.parse(row.bounced_recipients ?? '[]') as string[];
  const notificationStatuses = JSON.parse(row.notification_statuses ?? '[]') as string[];
  const artifact =
    row.artifact_file_name === null
      ? null
      : {
          file_name: row.artifact_file_name,
          size_bytes: row.artifact_size_bytes,
          content_type: row.artifact_content_type,
          row_count: row.artifact_row_count,
          download_count: row.artifact_download_count,
          last_downloaded_at: row.artifact_last_downloaded_at,
          expires_at: row.artifact_expires_at,
          swept_at: row.artifact_swept_at,
        };
  const downloadable = fileAvailable(row, now);
  const expires = linkExpiry(env, now);
  return {
    job_id: row.id,
    event_id: row.event_id,
    workspace_id: row.workspace_id,
    type: row.type,
    type_name: findReportType(row.type)?.name ?? row.type,
    format: row.format,
    params: JSON.parse(row.params) as Record<string, unknown>,
    status: row.status,
    requested_by: row.requested_by,
    requested_by_name: row.requested_by_name,
    notify_emails: JSON.parse(row.notify_emails) as string[],
    snapshot_at: row.snapshot_at,
    phase: row.phase,
    rows_done: row.rows_done,
    rows_expected: row.rows_expected,
    bytes_written: row.bytes_written,
    attempts: row.attempts,
    cancel_requested_at: row.cancel_requested_at,
    failure_code: row.failure_code,
    failure_reason: row.failure_reason,
    retry_of: row.retry_of,
    rerun_of: row.rerun_of,
    created_at: row.created_at,
    updated_at: row.updated_at,
    started_at: row.started_at,
    finished_at: row.finished_at,
    stuck: isStuck(row, now, settings(env).stuckNoteMs),
    /** What helps after a failure (jobs/failures.ts); null unless failed. */
    failure_remedy: row.status === 'failed' ? failureRemedy(row.failure_code, row.format) : null,
    /** The retry already made of this failed job (by its requester, an admin or the stuck detector). */
    retried_by: row.retried_by,
    notification_status:
      bounced.length > 0 ? 'bounced' : (['queued', 'sent', 'failed'].find((st) => notificationStatuses.includes(st)) ?? null),
    notification_bounced: bounced.length > 0,
    bounced_recipients: bounced,
    /** Each recipient's latest "report ready" email: queued, sent, bounced or failed. */
    notifications: JSON.parse(row.notifications ?? '[]') as { recipient: string; status: string; at: number }[],
    artifact,
    download_url: downloadable
      ? await signDownloadUrl(env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(row.event_id, row.id), expires)
      : null,
    download_url_expires_at: downloadable ? expires * 1000 : null,
  };
}
