// The report center's types: the responses as the server's schemas define them (api/types.ts),
// and the few request-side values the client itself chooses.
import type { Job, JobParams, JobStatus } from '../../../api/types';

export type {
  CancelOutcome,
  CancelResult,
  Job,
  JobArtifact,
  JobList,
  JobParams,
  JobPhase,
  JobStatus,
  ReportCatalog,
  ReportEstimate,
  ReportFormat,
  ReportQuota,
  ReportType,
} from '../../../api/types';

/** What helps after a failure (server: jobs/failures.ts); null unless failed. */
export type FailureRemedy = NonNullable<Job['failure_remedy']>;
/** Each recipient's latest "report ready" email (the newest delivery decides). */
export type JobNotification = Job['notifications'][number];

/** Whose reports the list shows: the caller's own (the default) or everyone's. */
export type JobScope = 'mine' | 'all';

export type JobSort = 'created_at' | 'status' | 'type';
export type SortOrder = 'asc' | 'desc';

export interface CreateJobRequest {
  type: string;
  params: JobParams;
  notify_emails: string[];
}

export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'expired'];

export function isActive(job: Job): boolean {
  return job.status === 'queued' || job.status === 'running';
}

export function isTerminal(job: Job): boolean {
  return TERMINAL_STATUSES.includes(job.status);
}
