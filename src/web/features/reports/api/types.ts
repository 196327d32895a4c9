export type ReportFormat = 'csv' | 'pdf';

export type JobStatus = 'queued' | 'running' | 'completed' | 'failed' | 'cancelled' | 'expired';

export type JobPhase = 'querying' | 'writing' | 'uploading' | 'finalizing';

export interface JobParams {
  format: ReportFormat;
  date_from?: string;
  date_to?: string;
  [key: string]: unknown;
}

export interface JobArtifact {
  file_name: string;
  size_bytes: number;
  content_type?: string;
  row_count: number;
  download_count: number;
  last_downloaded_at: number | null;
  expires_at?: number | null;
  swept_at?: number | null;
}

/** A report job as the API returns it; timestamps are epoch milliseconds. */
export interface Job {
  job_id: string;
  event_id: string;
  type: string;
  type_name: string;
  format: ReportFormat;
  params: JobParams;
  status: JobStatus;
  requested_by: string;
  requested_by_name: string | null;
  notify_emails: string[];
  phase: JobPhase | null;
  rows_done: number;
  rows_expected: number | null;
  bytes_written: number;
  attempts?: number;
  cancel_requested_at?: number | null;
  failure_code: string | null;
  failure_reason: string | null;
  retry_of?: string | null;
  rerun_of?: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  artifact: JobArtifact | null;
  download_url: string | null;
  download_url_expires_at?: number | null;
  /** Server-computed (jobs/state.ts isStuck): queued, or running without progress, past REPORT_STUCK_NOTE_MINUTES. */
  stuck?: boolean;
  notification_bounced?: boolean;
  bounced_recipients?: string[];
  /** Each recipient's latest "report ready" email (the newest delivery decides). */
  notifications?: JobNotification[];
  /** What helps after a failure (server: jobs/failures.ts); null unless failed. */
  failure_remedy?: FailureRemedy | null;
  /** The retry already made of this failed job (by a person or automatically). */
  retried_by?: string | null;
}

export type FailureRemedy = 'retry' | 'narrow_range' | 'use_csv' | 'adjust_parameters' | 'none';

export interface JobNotification {
  recipient: string;
  status: 'queued' | 'sent' | 'bounced' | 'failed' | string;
  at: number;
}

/** Reports the caller may still ask for today (failed and cancelled ones do not count). */
export interface ReportQuota {
  limit: number;
  used: number;
  remaining: number;
}

export interface JobList {
  data: Job[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  server_time: number;
  quota?: ReportQuota;
  /** The operator has paused the runner: queued reports wait until it is resumed. */
  runner_paused?: boolean;
}

/** Whose reports the list shows: the caller's own (the default) or everyone's. */
export type JobScope = 'mine' | 'all';

export type JobSort = 'created_at' | 'status' | 'type';
export type SortOrder = 'asc' | 'desc';

export interface CreateJobRequest {
  type: string;
  params: JobParams;
  notify_emails: string[];
}

export type CancelOutcome = 'cancelled' | 'requested' | 'requested_may_complete';

export interface CancelResult {
  outcome: CancelOutcome;
  message: string;
  job: Job;
}

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'expired'];

export function isActive(job: Job): boolean {
  return job.status === 'queued' || job.status === 'running';
}

export function isTerminal(job: Job): boolean {
  return TERMINAL_STATUSES.includes(job.status);
}
