import { assertTransition, type JobPhase, type JobStatus } from '../jobs/state';
import { allRows } from './sql';
import type { SqlFragment } from './where';

export interface JobRow {
  id: string;
  workspace_id: string;
  event_id: string;
  type: string;
  format: 'csv' | 'pdf';
  params: string;
  status: JobStatus;
  requested_by: string;
  notify_emails: string;
  snapshot_at: number;
  phase: JobPhase | null;
  rows_done: number;
  rows_expected: number | null;
  bytes_written: number;
  claim_token: string | null;
  lease_expires_at: number | null;
  attempts: number;
  checkpoint: string | null;
  cancel_requested_at: number | null;
  failure_code: string | null;
  failure_reason: string | null;
  retry_of: string | null;
  rerun_of: string | null;
  created_at: number;
  updated_at: number;
  started_at: number | null;
  finished_at: number | null;
  stuck_flagged_at: number | null;
}

export type NewJob = Pick<
  JobRow,
  | 'id'
  | 'workspace_id'
  | 'event_id'
  | 'type'
  | 'format'
  | 'params'
  | 'requested_by'
  | 'notify_emails'
  | 'snapshot_at'
  | 'retry_of'
  | 'rerun_of'
  | 'created_at'
>;

/** The daily quota a new job is admitted under: fewer than `limit` counting jobs since `since`. */
export interface JobQuota {
  userId: string;
  limit: number;
  since: number;
}

/** The jobs that count against a person's quota: everything asked for in the window but failed or cancelled ones. */
const quotaJobs = (user = '?') =>
  `event_report_jobs WHERE requested_by = ${user} AND created_at > ? AND status NOT IN ('failed', 'cancelled')`;

/**
 * Null when `retry_of` already has its retry (a second click on Retry), or when `quota` is full.
 * The quota is counted and the job inserted in one statement, so parallel requests can never
 * admit more than the limit between a count and an insert.
 */
export async function insertJob(db: D1Database, job: NewJob, quota?: JobQuota): Promise<JobRow | null> {
  const admitted = quota ? `(SELECT COUNT(*) FROM ${quotaJobs()}) < ?` : '1';
  const row = await db
    .prepare(
      `INSERT INTO event_report_jobs
         (id, workspace_id, event_id, type, format, params, status, requested_by, notify_emails,
          snapshot_at, retry_of, rerun_of, created_at, updated_at)
       SELECT ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?
        WHERE ${admitted}
       ON CONFLICT (retry_of) WHERE retry_of IS NOT NULL DO NOTHING
       RETURNING *`,
    )
    .bind(
      job.id,
      job.workspace_id,
      job.event_id,
      job.type,
      job.format,
      job.params,
      job.requested_by,
      job.notify_emails,
      job.snapshot_at,
      job.retry_of,
      job.rerun_of,
      job.created_at,
      job.created_at,
      ...(quota ? [quota.userId, quota.since, quota.limit] : []),
    )
    .first<JobRow>();
  return row;
}

export function findJob(db: D1Database, id: string): Promise<JobRow | null> {
  return db.prepare('SELECT * FROM event_report_jobs WHERE id = ?').bind(id).first<JobRow>();
}

/**
 * Claim a job for one runner: queued -> running, or take over a running job whose lease expired
 * (its runner died or yielded: running -> running in the transition table). Returns null when
 * someone else holds it or it is finished, which makes duplicate queue deliveries harmless.
 */
export function claimJob(db: D1Database, id: string, token: string, now: number, leaseMs: number): Promise<JobRow | null> {
  assertTransition('queued', 'running');
  assertTransition('running', 'running');
  return db
    .prepare(
      `UPDATE event_report_jobs
          SET status = 'running', claim_token = ?, lease_expires_at = ?, attempts = attempts + 1,
              started_at = COALESCE(started_at, ?), phase = COALESCE(phase, 'querying'), updated_at = ?
        WHERE id = ?
          AND (status = 'queued' OR (status = 'running' AND lease_expires_at < ?))
        RETURNING *`,
    )
    .bind(token, now + leaseMs, now, now, id, now)
    .first<JobRow>();
}

/** SQL condition (binds: job id, claim token): the runner holding `token` still owns the running job. */
export const CLAIM_HELD = "EXISTS (SELECT 1 FROM event_report_jobs WHERE id = ? AND status = 'running' AND claim_token = ?)";

type JobFields = Partial<Omit<JobRow, 'id' | 'status'>>;

function setClause(fields: JobFields): { sql: string; values: unknown[] } {
  const keys = Object.keys(fields) as (keyof JobFields)[];
  return {
    sql: keys.map((k) => `${k} = ?`).join(', '),
    values: keys.map((k) => fields[k] ?? null),
  };
}

/**
 * Every status change below goes through here: compare-and-set on the current status and, for a
 * running job, on the claim token, so a runner that lost its lease cannot overwrite anyone.
 */
function transitionStatement(
  db: D1Database,
  change: { id: string; from: JobStatus; to: JobStatus; token?: string; now: number; set?: JobFields },
): D1PreparedStatement {
  assertTransition(change.from, change.to);
  const set = setClause({ ...change.set, updated_at: change.now });
  const tokenCheck = change.token === undefined ? '' : ' AND claim_token = ?';
  const tokenValue = change.token === undefined ? [] : [change.token];
  return db
    .prepare(`UPDATE event_report_jobs SET status = ?, ${set.sql} WHERE id = ? AND status = ?${tokenCheck} RETURNING *`)
    .bind(change.to, ...set.values, change.id, change.from, ...tokenValue);
}

/** What a job's runner leaves behind when the job ends, whichever way: no phase, claim or lease. */
const ENDED = { phase: null, claim_token: null, lease_expires_at: null } as const;

/** Who may end a job: its runner (by claim token, while running), or anyone while it is queued. */
export type JobHolder = { from: 'queued' } | { from: 'running'; token?: string };

/** The job failed, with a reason from the catalog (jobs/failures.ts). */
export function failJobStatement(
  db: D1Database,
  change: JobHolder & { id: string; now: number; code: string; reason: string },
): D1PreparedStatement {
  return endStatement(db, change, 'failed', { failure_code: change.code, failure_reason: change.reason });
}

export function failJob(db: D1Database, change: Parameters<typeof failJobStatement>[1]): Promise<JobRow | null> {
  return failJobStatement(db, change).first<JobRow>();
}

/** The job was cancelled: at once while queued, or by its runner (or the lifecycle) while running. */
export function cancelJob(db: D1Database, change: JobHolder & { id: string; now: number }): Promise<JobRow | null> {
  return endStatement(db, change, 'cancelled', {}).first<JobRow>();
}

/** A job held as `change` says ends in `to`: its lease and claim released, finished now. */
function endStatement(
  db: D1Database,
  change: JobHolder & { id: string; now: number },
  to: 'failed' | 'cancelled' | 'completed',
  set: JobFields,
): D1PreparedStatement {
  return transitionStatement(db, {
    id: change.id,
    from: change.from,
    to,
    token: 'token' in change ? change.token : undefined,
    now: change.now,
    set: { ...ENDED, ...set, finished_at: change.now },
  });
}

/** The job's file is in R2 and recorded: run in the batch that inserts its artifact row. */
export function completeJobStatement(
  db: D1Database,
  change: { id: string; token: string; now: number; rows: number; bytes: number },
): D1PreparedStatement {
  const { rows, bytes, ...held } = change;
  return endStatement(db, { ...held, from: 'running' }, 'completed', { rows_done: rows, bytes_written: bytes, checkpoint: null });
}

/** The sweeper removed the job's file: run in the batch that marks its artifact swept. */
export function expireJobStatement(db: D1Database, id: string, now: number): D1PreparedStatement {
  return transitionStatement(db, { id, from: 'completed', to: 'expired', now });
}

/**
 * The runner gives the job back before its invocation's time runs out: the lease lapses at once,
 * so the next delivery of the job's message takes it over (claimJob) and resumes from the checkpoint.
 */
export async function releaseLease(db: D1Database, id: string, token: string, now: number): Promise<boolean> {
  return (await updateRunningJob(db, id, token, now, { lease_expires_at: now - 1 })) !== null;
}

/**
 * Progress, checkpoint and lease renewal by the runner that holds the claim token. Returns whether
 * a cancel was requested, or null when the claim is gone (another runner took over, or it ended).
 */
export function updateRunningJob(
  db: D1Database,
  id: string,
  token: string,
  now: number,
  set: JobFields,
): Promise<{ cancel_requested_at: number | null } | null> {
  const clause = setClause({ ...set, updated_at: now });
  return db
    .prepare(
      `UPDATE event_report_jobs SET ${clause.sql}
        WHERE id = ? AND status = 'running' AND claim_token = ? RETURNING cancel_requested_at`,
    )
    .bind(...clause.values, id, token)
    .first<{ cancel_requested_at: number | null }>();
}

/** Ask the runner of a running job to stop; it notices at its next chunk. */
export function requestCancel(db: D1Database, id: string, now: number): Promise<JobRow | null> {
  return db
    .prepare(
      `UPDATE event_report_jobs SET cancel_requested_at = COALESCE(cancel_requested_at, ?), updated_at = ?
        WHERE id = ? AND status = 'running' RETURNING *`,
    )
    .bind(now, now, id)
    .first<JobRow>();
}

/** Running jobs whose runner stopped renewing its lease: it died, or yielded and was not picked up. */
export async function listExpiredLeases(db: D1Database, now: number, limit = 100): Promise<JobRow[]> {
  return allRows<JobRow>(
    db,
    "SELECT * FROM event_report_jobs WHERE status = 'running' AND lease_expires_at < ? ORDER BY lease_expires_at LIMIT ?",
    now,
    limit,
  );
}

export async function listQueuedJobIds(db: D1Database, limit = 500): Promise<string[]> {
  const rows = await allRows<{ id: string }>(
    db,
    "SELECT id FROM event_report_jobs WHERE status = 'queued' ORDER BY created_at LIMIT ?",
    limit,
  );
  return rows.map((r) => r.id);
}

/** The retry of a failed job, if one was already made. */
export function findRetryOf(db: D1Database, jobId: string): Promise<JobRow | null> {
  return db.prepare('SELECT * FROM event_report_jobs WHERE retry_of = ?').bind(jobId).first<JobRow>();
}

/** Jobs that count against the daily quota (quotaJobs), for showing what remains; `user` may be the caller as SQL. */
export function countQuotaJobsStatement(db: D1Database, user: string | SqlFragment, since: number): D1PreparedStatement {
  if (typeof user === 'string') return db.prepare(`SELECT COUNT(*) AS n FROM ${quotaJobs()}`).bind(user, since);
  return db.prepare(`SELECT COUNT(*) AS n FROM ${quotaJobs(user.sql)}`).bind(...user.values, since);
}

/** Queued jobs older than `before`, oldest first. */
export async function listQueuedBefore(db: D1Database, before: number, limit = 100): Promise<JobRow[]> {
  return allRows<JobRow>(
    db,
    "SELECT * FROM event_report_jobs WHERE status = 'queued' AND created_at < ? ORDER BY created_at LIMIT ?",
    before,
    limit,
  );
}

export async function flagStuckJobs(db: D1Database, before: number, now: number): Promise<number> {
  const result = await db
    .prepare(
      "UPDATE event_report_jobs SET stuck_flagged_at = ? WHERE status = 'queued' AND created_at < ? AND stuck_flagged_at IS NULL",
    )
    .bind(now, before)
    .run();
  return result.meta.changes;
}

/** A finished job's checkpoint, once its upload is aborted: nothing is left for it to point to. */
export async function clearCheckpoint(db: D1Database, id: string): Promise<void> {
  await db
    .prepare("UPDATE event_report_jobs SET checkpoint = NULL WHERE id = ? AND status IN ('failed', 'cancelled')")
    .bind(id)
    .run();
}

/** Failed or cancelled jobs whose multipart upload could not be aborted yet (R2 was unavailable). */
export async function listAbandonedUploads(db: D1Database, limit = 50): Promise<JobRow[]> {
  return allRows<JobRow>(
    db,
    "SELECT * FROM event_report_jobs WHERE status IN ('failed', 'cancelled') AND checkpoint IS NOT NULL ORDER BY updated_at LIMIT ?",
    limit,
  );
}
