// What one runner invocation holds while it works on a job, and the steps every path of it shares:
// the heartbeat that renews the lease, cancelling, discarding a half-written file, and turning
// storage and query errors into the organizer's words. Whatever happens after the claim, we MUST
// leave the job in a state someone can act on (runner.ts).

import { cancelJob, clearCheckpoint, type JobRow, updateRunningJob } from '../db/jobs';
import type { Env } from '../env';
import { errorFields, jobLogFields, log } from '../log';
import type { MultipartWriter } from '../output/multipart';
import { abortCheckpointUpload, abortQuietly, type Checkpoint, type ResumePoint } from './checkpoint';
import { classifyError, FAILURES, JobFailure } from './failures';

/** How long a claim lasts without a heartbeat; the runner renews it after every chunk. */
export const LEASE_MS = 60_000;

export interface RunOptions {
  chunkRows?: number;
  partSize?: number;
  timeBudgetMs?: number;
  /**
   * Test hook, called after each checkpoint is stored. Whatever it throws leaves the runner as it
   * is, untouched and unhandled: the way a test makes the invocation vanish at that point.
   */
  afterCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
  /** Test hook: a lower PDF row ceiling than PDF_MAX_ROWS. */
  pdfMaxRows?: number;
}

export type RunOutcome = 'completed' | 'failed' | 'cancelled' | 'yielded' | 'skipped' | 'lost';

/** The claim went to another runner: stop without touching the job or its upload. */
export class LostClaim extends Error {}

/** What a test hook threw, carried past every handler of the runner to its caller. */
export class FromHook extends Error {
  constructor(readonly thrown: unknown) {
    super('thrown by a test hook');
  }
}

export interface Run {
  env: Env;
  job: JobRow;
  token: string;
  now: () => number;
  options: RunOptions;
  writer?: MultipartWriter;
  /** The object was completed in R2; if the job does not complete, it must be deleted. */
  objectKey?: string;
  /** The resume point of the last stored checkpoint: what a finishing marker must keep. */
  savedResumePoint?: ResumePoint;
}

/** No half-written artifact stays behind: abort the multipart upload and delete a completed object. */
export async function discardPartialOutput(run: Run): Promise<void> {
  const aborted = run.writer
    ? await abortQuietly(run.job.id, () => run.writer?.abort())
    : await abortCheckpointUpload(run.env.REPORTS_BUCKET, run.job);
  if (run.objectKey) await run.env.REPORTS_BUCKET.delete(run.objectKey);
  // Once the upload is gone the checkpoint has nothing left to point to; until then the
  // lifecycle keeps trying (abandoned uploads).
  if (aborted || run.objectKey) await clearCheckpoint(run.env.DB, run.job.id);
}

export async function cancel(run: Run): Promise<RunOutcome> {
  const at = run.now();
  const cancelled = await cancelJob(run.env.DB, { id: run.job.id, from: 'running', token: run.token, now: at });
  if (!cancelled) throw new LostClaim();
  await discardPartialOutput(run);
  log('info', 'report_job.cancelled', {
    ...jobLogFields(run.job),
    outcome: 'cancelled',
    while: 'running',
    run_ms: run.job.started_at === null ? null : at - run.job.started_at,
  });
  return 'cancelled';
}

/** Store progress, renew the lease; throws LostClaim when another runner owns the job now. */
export async function heartbeat(run: Run, set: Parameters<typeof updateRunningJob>[4]): Promise<{ cancelRequested: boolean }> {
  const state = await updateRunningJob(run.env.DB, run.job.id, run.token, run.now(), {
    ...set,
    lease_expires_at: run.now() + LEASE_MS,
  });
  if (!state) throw new LostClaim();
  return { cancelRequested: state.cancel_requested_at !== null };
}

/** R2 trouble is the storage's, not the organizer's: say so in words they can act on. */
export async function storage<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof JobFailure || err instanceof LostClaim || err instanceof FromHook) throw err;
    log('warn', 'report_job.storage_error', errorFields(err));
    throw new JobFailure('storage_unavailable', FAILURES.storage_unavailable);
  }
}

export async function query<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof FromHook || err instanceof LostClaim) throw err;
    throw classifyError(err);
  }
}
