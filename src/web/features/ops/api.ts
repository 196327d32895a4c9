/**
 * The ops dashboard's calls: GET /v1/admin/ops/overview (series, queue, failures, switches) and
 * PUT /v1/admin/ops/settings (the switches; the Worker writes the audit entry). The types mirror
 * src/worker/metrics/overview.ts, the zod schema the API reference publishes.
 */
import { api, apiRequest } from '../../api/client';

export type OverviewRange = '24h' | '7d';

export interface OverviewPoint {
  start: number;
  jobs_created: number;
  jobs_completed: number;
  jobs_failed: number;
  jobs_cancelled: number;
  retries_manual: number;
  retries_automatic: number;
  stuck_queue_failures: number;
  size_limit_failures: number;
  interrupted_failures: number;
  rows_exported: number;
  bytes_exported: number;
  queue_wait_avg_seconds: number | null;
  queue_wait_max_seconds: number | null;
  run_avg_seconds: number | null;
  run_max_seconds: number | null;
  queue_depth: number;
  running: number;
  downloads_served: number;
  download_permission_denied: number;
  download_bad_signature: number;
  download_link_expired: number;
  download_other: number;
  emails_sent: number;
  emails_bounced: number;
  emails_failed: number;
  artifacts_swept: number;
}

export type OverviewTotals = Omit<OverviewPoint, 'start' | 'queue_depth' | 'running'> & { failure_rate: number | null };

/** The job a queue or failure row is about, and its event. */
export interface JobRef {
  job_id: string;
  event_id: string;
  event_name: string | null;
  workspace_name: string | null;
  type: string;
  type_name: string;
}

export interface QueueJob extends JobRef {
  status: 'queued' | 'running';
  phase: string | null;
  created_at: number;
  started_at: number | null;
  age_seconds: number;
  rows_done: number;
  rows_expected: number | null;
  stuck: boolean;
  cancel_requested: boolean;
}

export interface RecentFailure extends JobRef {
  failure_code: string | null;
  failure_reason: string | null;
  finished_at: number;
  retried_by: string | null;
}

export interface OpsSwitches {
  runner_paused: boolean;
  new_requests_disabled: boolean;
  updated_at: number;
  updated_by_name: string | null;
}

export interface Overview {
  range: OverviewRange;
  bucket: 'hour' | 'day';
  generated_at: number;
  series: OverviewPoint[];
  totals: OverviewTotals;
  queue: { depth: number; running: number; stuck: number; oldest: QueueJob | null; jobs: QueueJob[] };
  failures: RecentFailure[];
  settings: OpsSwitches;
}

export function fetchOverview(range: OverviewRange, signal?: AbortSignal): Promise<Overview> {
  return api.get<Overview>(`/v1/admin/ops/overview?range=${range}`, { signal });
}

export type SwitchName = 'runner_paused' | 'new_requests_disabled';

export function updateSwitch(name: SwitchName, value: boolean): Promise<unknown> {
  return apiRequest('PUT', '/v1/admin/ops/settings', { body: { [name]: value } });
}

/** Where an operator sees a job: its event's report center, with the job highlighted. */
export function jobLink(eventId: string, jobId: string): string {
  return `/admin/events/${encodeURIComponent(eventId)}/reports?highlight=${encodeURIComponent(jobId)}`;
}
