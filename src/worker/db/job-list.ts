// The jobs as the report center shows them: a page of an event's jobs with the requester's name,
// the file, each recipient's latest email and the retry made of it, or one such job. Batched by the
// routes with their session check (auth/session.ts withEventAccess).

import type { Role } from '../auth/roles';
import type { JobStatus } from '../jobs/state';
import type { JobRow } from './jobs';
import { type SqlFragment, Where } from './where';

export const JOB_SORTS = {
  created_at: 'j.created_at',
  status: 'j.status',
  type: 'j.type',
} as const;
export type JobSort = keyof typeof JOB_SORTS;

export interface JobListRow extends JobRow {
  requested_by_name: string | null;
  artifact_file_name: string | null;
  artifact_size_bytes: number | null;
  artifact_content_type: string | null;
  artifact_row_count: number | null;
  artifact_download_count: number | null;
  artifact_last_downloaded_at: number | null;
  artifact_expires_at: number | null;
  artifact_swept_at: number | null;
  /** JSON array of recipients whose latest notification bounced. */
  bounced_recipients: string;
  /** JSON array of the distinct outbox statuses of the job's notifications. */
  notification_statuses: string;
  /** JSON array of { recipient, status, at }: each recipient's latest "report ready" email. */
  notifications: string;
  /** The retry made of this failed job (by a person or the stuck detector), if any. */
  retried_by: string | null;
}

const JOB_LIST_SELECT = `
  SELECT j.*, u.name AS requested_by_name,
         a.file_name AS artifact_file_name, a.size_bytes AS artifact_size_bytes,
         a.content_type AS artifact_content_type, a.row_count AS artifact_row_count,
         a.download_count AS artifact_download_count, a.last_downloaded_at AS artifact_last_downloaded_at,
         a.expires_at AS artifact_expires_at, a.swept_at AS artifact_swept_at,
         (SELECT json_group_array(b.recipient) FROM notification_outbox b
           WHERE b.job_id = j.id AND b.kind = 'report_ready' AND b.status = 'bounced'
             AND NOT EXISTS (SELECT 1 FROM notification_outbox r WHERE r.job_id = j.id AND r.kind = 'report_ready'
                              AND r.recipient = b.recipient AND r.created_at > b.created_at)) AS bounced_recipients,
         (SELECT json_group_array(DISTINCT o.status) FROM notification_outbox o
           WHERE o.job_id = j.id AND o.kind = 'report_ready') AS notification_statuses,
         (SELECT json_group_array(json_object('recipient', n.recipient, 'status', n.status, 'at', n.updated_at))
            FROM notification_outbox n
           WHERE n.job_id = j.id AND n.kind = 'report_ready'
             AND NOT EXISTS (SELECT 1 FROM notification_outbox l WHERE l.job_id = j.id AND l.kind = 'report_ready'
                              AND l.recipient = n.recipient AND (l.created_at, l.id) > (n.created_at, n.id))) AS notifications,
         (SELECT r.id FROM event_report_jobs r WHERE r.retry_of = j.id) AS retried_by
    FROM event_report_jobs j
    LEFT JOIN users u ON u.id = j.requested_by
    LEFT JOIN event_report_job_artifacts a ON a.job_id = j.id`;

/**
 * A page of the event's jobs and their total. The report center reads it batched with its session
 * check (auth/session.ts withEventAccess), before the caller is known: then the types it may see
 * and "mine" are given per role and as the caller's SQL (db/sessions.ts callerSql).
 */
export interface JobListQuery {
  eventId: string;
  /** The types the caller may see (all of them, or the one a filter asks for). */
  types: readonly string[] | { byRole: Readonly<Partial<Record<Role, readonly string[]>>>; role: SqlFragment };
  /** Only the jobs this user asked for. */
  requestedBy?: string | SqlFragment;
  status?: JobStatus;
  sort: JobSort;
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** The page and the COUNT(*) of a job list, to run in one batch (with whatever else the caller adds). */
export function listJobsStatements(db: D1Database, q: JobListQuery): [D1PreparedStatement, D1PreparedStatement] {
  const dir = q.order === 'asc' ? 'ASC' : 'DESC';
  const where = new Where().add(`j.event_id = ?`, q.eventId);
  if (Array.isArray(q.types)) where.add(`j.type IN (${q.types.map(() => '?').join(', ')})`, ...q.types);
  else {
    const { byRole, role } = q.types as Exclude<JobListQuery['types'], readonly string[]>;
    // A caller without a role (no session, not a member) reads the path '$.none': no types at all.
    where.add(
      `j.type IN (SELECT value FROM json_each(?, '$.' || coalesce(${role.sql}, 'none')))`,
      JSON.stringify(byRole),
      ...role.values,
    );
  }
  if (typeof q.requestedBy === 'string') where.add('j.requested_by = ?', q.requestedBy);
  else if (q.requestedBy) where.add(`j.requested_by = ${q.requestedBy.sql}`, ...q.requestedBy.values);
  if (q.status) where.add('j.status = ?', q.status);
  return [
    db
      .prepare(
        `${JOB_LIST_SELECT} WHERE ${where.sql} ORDER BY ${JOB_SORTS[q.sort]} ${dir}, j.created_at DESC, j.id DESC LIMIT ? OFFSET ?`,
      )
      .bind(...where.values, q.limit, q.offset),
    db.prepare(`SELECT COUNT(*) AS n FROM event_report_jobs j WHERE ${where.sql}`).bind(...where.values),
  ];
}

/** The results of listJobsStatements. */
export function jobPageOf(page: D1Result | undefined, count: D1Result | undefined): { rows: JobListRow[]; total: number } {
  return { rows: (page?.results ?? []) as JobListRow[], total: countOf(count) };
}

export async function listJobs(db: D1Database, q: JobListQuery): Promise<{ rows: JobListRow[]; total: number }> {
  const [page, count] = await db.batch(listJobsStatements(db, q));
  return jobPageOf(page, count);
}

/** The `n` of a batch's COUNT(*) AS n result. */
export function countOf(result: D1Result | undefined): number {
  return Number((result?.results?.[0] as { n: number } | undefined)?.n ?? 0);
}

export function findJobForListStatement(db: D1Database, eventId: string, jobId: string): D1PreparedStatement {
  return db.prepare(`${JOB_LIST_SELECT} WHERE j.event_id = ? AND j.id = ?`).bind(eventId, jobId);
}

export function findJobForList(db: D1Database, eventId: string, jobId: string): Promise<JobListRow | null> {
  return findJobForListStatement(db, eventId, jobId).first<JobListRow>();
}
