// Who may do what to a job. Seeing a job, and re-running it as one's own new job, are open to every
// member who may read its type; cancel, retry and resend act on someone's request, and belong to the
// person who asked for it and to workspace admins.

import { can, type Role } from '../auth/roles';
import { findJobForList, type JobListRow } from '../db/job-list';
import type { JobRow } from '../db/jobs';
import { findReportType } from '../reports/catalog';

/** The job, if it is this event's and the role may read its type; null reads as "not found". */
export async function findVisibleJob(db: D1Database, eventId: string, jobId: string, role: Role): Promise<JobListRow | null> {
  return visibleJobOf(await findJobForList(db, eventId, jobId), role);
}

/** The job read, if the role may read its type. */
export function visibleJobOf(row: JobListRow | null | undefined, role: Role): JobListRow | null {
  const type = row ? findReportType(row.type) : undefined;
  return row && type && can(role, type.permission) ? row : null;
}

export function mayManage(job: Pick<JobRow, 'requested_by'>, userId: string, role: Role): boolean {
  return job.requested_by === userId || can(role, 'reports:admin');
}
