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
