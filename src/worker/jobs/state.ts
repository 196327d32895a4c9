// The report job state machine. Pure: no I/O. Every status change in db/jobs.ts goes through
// `assertTransition`, and is applied as a compare-and-set on the current status.

export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled', 'expired'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export const JOB_PHASES = ['querying', 'writing', 'uploading', 'finalizing'] as const;
export type JobPhase = (typeof JOB_PHASES)[number];

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'cancelled', 'failed'], // claimed | cancelled before start | stuck in queue
  // running -> running: a runner takes over a job whose lease expired (its runner died or yielded).
  running: ['running', 'completed', 'failed', 'cancelled'],
  completed: ['expired'], // the sweeper removed the artifact
  failed: [],
  cancelled: [],
  expired: [],
};

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
  ) {
    super(`illegal report job transition ${from} -> ${to}`);
  }
}

export function assertTransition(from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** Finished from the organizer's point of view: nothing more will run for this row. */
export const TERMINAL_STATUSES: readonly JobStatus[] = ['completed', 'failed', 'cancelled', 'expired'];

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/**
 * "Taking longer than usual": queued for longer than `thresholdMs` (REPORT_STUCK_NOTE_MINUTES), or
 * running without progress (a heartbeat moves updated_at after every page) for as long. The one
 * rule the job row's pill, the metrics and the ops dashboard all use; `stuckSql` is its SQL twin.
 */
export function isStuck(
  job: { status: JobStatus; created_at: number; updated_at: number },
  now: number,
  thresholdMs: number,
): boolean {
  if (job.status === 'queued') return now - job.created_at > thresholdMs;
  if (job.status === 'running') return now - job.updated_at > thresholdMs;
  return false;
}

/** isStuck as an SQL condition over event_report_jobs aliased `alias`, with its bound values. */
export function stuckSql(alias: string, now: number, thresholdMs: number): { sql: string; values: number[] } {
  const before = now - thresholdMs;
  return {
    sql: `((${alias}.status = 'queued' AND ${alias}.created_at < ?) OR (${alias}.status = 'running' AND ${alias}.updated_at < ?))`,
    values: [before, before],
  };
}
