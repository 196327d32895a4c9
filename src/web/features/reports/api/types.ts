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
  failure_code: string | null;
  failure_reason: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  artifact: JobArtifact | null;
  download_url: string | null;
}

export interface JobList {
  data: Job[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  server_time: number;
}

export interface CreateJobRequest {
  type: string;
  params: { format: ReportFormat; date_from?: string; date_to?: string };
  notify_emails: string[];
}

export function isActive(job: Job): boolean {
  return job.status === 'queued' || job.status === 'running';
}
