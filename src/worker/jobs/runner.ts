// The queue consumer's work for one job: claim it, stream its rows into R2, record the artifact.
// Whatever happens after the claim, we MUST leave the job in a state someone can act on:
// completed, failed with a reason, cancelled, or running under a lease that expires on its own
// (and then lifecycle.ts resumes or fails it).
//
// Resume: after every uploaded part the runner records a checkpoint: the upload, and the keyset
// position where the rows not yet fully uploaded begin, with their byte offset in the file. A
// later runner regenerates from that position and drops the bytes already uploaded. Output is
// deterministic for a job (its snapshot, its parameters), so the file is byte-identical to an
// uninterrupted run.

import { insertArtifactStatement } from '../db/artifacts';
import { findEvent } from '../db/events';
import { claimJob, type JobRow, transitionJob, transitionJobStatement, updateRunningJob } from '../db/jobs';
import { insertOutboxStatements } from '../db/outbox';
import { type Env, settings } from '../env';
import { newId, newToken } from '../ids';
import { errorFields, log } from '../log';
import { csvRow, UTF8_BOM } from '../output/csv';
import { MultipartWriter, type UploadState } from '../output/multipart';
import { findReportType } from '../reports/catalog';
import type { ReportType } from '../reports/types';
import { ZonedClock } from '../time';
import { classifyError, FAILURES, JobFailure, sizeLimitReason } from './failures';

/** How long a claim lasts without a heartbeat; the runner renews it after every chunk. */
export const LEASE_MS = 60_000;
/** After this many claims a job that keeps dying is failed instead of resumed again. */
export const MAX_ATTEMPTS = 5;
const CHUNK_ROWS = 2_000;
const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export interface Checkpoint {
  key: string;
  file_name: string;
  upload: UploadState;
  /** Keyset position after which rows are not fully uploaded (null: from the header on). */
  cursor: string | null;
  /** Bytes of the file that precede the rows after `cursor`. */
  cursor_offset: number;
  /** Rows up to `cursor`. */
  rows_done: number;
}

export interface RunOptions {
  now?: () => number;
  chunkRows?: number;
  partSize?: number;
  timeBudgetMs?: number;
  /** Test hook: called after each checkpoint is stored, to simulate a crash at that point. */
  afterCheckpoint?: (checkpoint: Checkpoint) => void | Promise<void>;
}

export type RunOutcome = 'completed' | 'failed' | 'cancelled' | 'yielded' | 'skipped' | 'lost';

/** Thrown by a test's afterCheckpoint hook: the invocation vanishes as if the isolate died. */
export class SimulatedCrash extends Error {}

/** The claim went to another runner: stop without touching the job or its upload. */
class LostClaim extends Error {}

const encoder = new TextEncoder();

export function artifactKey(job: Pick<JobRow, 'workspace_id' | 'event_id' | 'id'>, fileName: string): string {
  return `reports/${job.workspace_id}/${job.event_id}/${job.id}/${fileName}`;
}

export function artifactFileName(slug: string, type: string, from: string | undefined, to: string, format: string): string {
  return `${slug}_${type}_${from ?? 'all'}_${to}.${format}`;
}

interface Run {
  env: Env;
  job: JobRow;
  token: string;
  now: () => number;
  options: RunOptions;
  writer?: MultipartWriter;
  /** The object was completed in R2; if the job does not complete, it must be deleted. */
  objectKey?: string;
}

export async function runReportJob(env: Env, jobId: string, options: RunOptions = {}): Promise<RunOutcome> {
  const now = options.now ?? Date.now;
  const token = newToken();
  const job = await claimJob(env.DB, jobId, token, now(), LEASE_MS);
  if (!job) return 'skipped';
  log('info', 'report_job.claimed', {
    job_id: job.id,
    event_id: job.event_id,
    attempt: job.attempts,
    resumed: job.checkpoint !== null,
  });
  const run: Run = { env, job, token, now, options };
  try {
    if (job.attempts > MAX_ATTEMPTS) throw new JobFailure('interrupted');
    return await generate(run);
  } catch (err) {
    if (err instanceof SimulatedCrash) throw err;
    if (err instanceof LostClaim) {
      log('warn', 'report_job.claim_lost', { job_id: job.id });
      return 'lost';
    }
    const failure = err instanceof JobFailure ? err : classifyError(err);
    log('error', 'report_job.failed', {
      job_id: job.id,
      event_id: job.event_id,
      failure_code: failure.code,
      ...errorFields(err),
    });
    const failed = await transitionJob(env.DB, {
      id: job.id,
      from: 'running',
      to: 'failed',
      token,
      now: now(),
      set: {
        failure_code: failure.code,
        failure_reason: failure.reason,
        finished_at: now(),
        phase: null,
        claim_token: null,
        lease_expires_at: null,
      },
    });
    if (!failed) return 'lost';
    await discardPartialOutput(run);
    return 'failed';
  }
}

/** No half-written artifact stays behind: abort the multipart upload and delete a completed object. */
async function discardPartialOutput(run: Run): Promise<void> {
  if (run.writer) await abortQuietly(run.job.id, () => run.writer?.abort());
  else await abortCheckpointUpload(run.env.REPORTS_BUCKET, run.job);
  if (run.objectKey) await run.env.REPORTS_BUCKET.delete(run.objectKey);
}

/** Abort the multipart upload a job's checkpoint points to, if any. */
export async function abortCheckpointUpload(bucket: R2Bucket, job: Pick<JobRow, 'id' | 'checkpoint'>): Promise<void> {
  const checkpoint = parseCheckpoint(job.checkpoint);
  if (checkpoint)
    await abortQuietly(job.id, () => bucket.resumeMultipartUpload(checkpoint.key, checkpoint.upload.upload_id).abort());
}

async function abortQuietly(jobId: string, abort: () => Promise<void> | undefined): Promise<void> {
  try {
    await abort();
  } catch (err) {
    // An upload that was already completed or aborted cannot be aborted again; R2 also expires
    // abandoned uploads on its own.
    log('warn', 'report_job.abort_failed', { job_id: jobId, ...errorFields(err) });
  }
}

export function parseCheckpoint(text: string | null): Checkpoint | null {
  return text ? (JSON.parse(text) as Checkpoint) : null;
}

async function cancel(run: Run): Promise<RunOutcome> {
  const at = run.now();
  const cancelled = await transitionJob(run.env.DB, {
    id: run.job.id,
    from: 'running',
    to: 'cancelled',
    token: run.token,
    now: at,
    set: { finished_at: at, phase: null, claim_token: null, lease_expires_at: null },
  });
  if (!cancelled) throw new LostClaim();
  await discardPartialOutput(run);
  log('info', 'report_job.cancelled', { job_id: run.job.id, event_id: run.job.event_id });
  return 'cancelled';
}

/** Store progress, renew the lease; throws LostClaim when another runner owns the job now. */
async function heartbeat(run: Run, set: Parameters<typeof updateRunningJob>[4]): Promise<{ cancelRequested: boolean }> {
  const state = await updateRunningJob(run.env.DB, run.job.id, run.token, run.now(), {
    ...set,
    lease_expires_at: run.now() + LEASE_MS,
  });
  if (!state) throw new LostClaim();
  return { cancelRequested: state.cancel_requested_at !== null };
}

async function generate(run: Run): Promise<RunOutcome> {
  const { env, job } = run;
  const startedAt = run.now();
  const limits = settings(env);
  const budget = run.options.timeBudgetMs ?? limits.runnerTimeBudgetMs;

  if (job.cancel_requested_at !== null) return cancel(run);
  const type = findReportType(job.type) as ReportType | undefined;
  if (!type) throw new JobFailure('invalid_parameters');
  const parsed = type.params.safeParse(JSON.parse(job.params));
  if (!parsed.success) throw new JobFailure('invalid_parameters');
  const event = await findEvent(env.DB, job.event_id);
  if (!event) throw new JobFailure('event_missing');

  const clock = new ZonedClock(event.time_zone);
  const params = parsed.data;
  const ctx = { db: env.DB, job, event, params, clock };
  const checkpoint = parseCheckpoint(job.checkpoint);
  const fileName =
    checkpoint?.file_name ??
    artifactFileName(event.slug, job.type, params.date_from, params.date_to ?? clock.dateOf(job.snapshot_at), 'csv');
  const key = checkpoint?.key ?? artifactKey(job, fileName);

  if (!checkpoint) {
    const rowsExpected = await type.estimateRows(ctx);
    if ((await heartbeat(run, { rows_expected: rowsExpected, phase: 'writing' })).cancelRequested) return cancel(run);
  }

  // Where the rows of the chunk being written begin; a checkpoint points here.
  let segment = { cursor: checkpoint?.cursor ?? null, offset: checkpoint?.cursor_offset ?? 0, rows: checkpoint?.rows_done ?? 0 };
  let partsThisRun = 0;
  const onPartUploaded = async (upload: UploadState) => {
    const next: Checkpoint = {
      key,
      file_name: fileName,
      upload,
      cursor: segment.cursor,
      cursor_offset: segment.offset,
      rows_done: segment.rows,
    };
    partsThisRun++;
    await heartbeat(run, { checkpoint: JSON.stringify(next), phase: 'uploading' });
    await run.options.afterCheckpoint?.(next);
  };
  const writer = await storage(async () =>
    checkpoint
      ? MultipartWriter.resume(env.REPORTS_BUCKET, key, checkpoint.upload, { partSize: run.options.partSize, onPartUploaded })
      : MultipartWriter.start(env.REPORTS_BUCKET, key, {
          contentType: CSV_CONTENT_TYPE,
          partSize: run.options.partSize,
          onPartUploaded,
        }),
  );
  run.writer = writer;

  // Bytes of the file regenerated so far; those before `uploaded_bytes` are already in R2.
  let produced = segment.offset;
  const alreadyUploaded = checkpoint?.upload.uploaded_bytes ?? 0;
  const emit = async (bytes: Uint8Array) => {
    const skip = Math.max(0, Math.min(bytes.length, alreadyUploaded - produced));
    produced += bytes.length;
    if (skip < bytes.length) await storage(() => writer.write(skip > 0 ? bytes.subarray(skip) : bytes));
  };

  if (segment.cursor === null) await emit(encoder.encode((params.include_bom ? UTF8_BOM : '') + csvRow(type.columns)));
  let cursor = segment.cursor;
  let rowsDone = segment.rows;
  const chunkRows = run.options.chunkRows ?? CHUNK_ROWS;
  do {
    if (run.now() - startedAt > budget && partsThisRun > 0) return yieldRun(run, rowsDone);
    const chunk = await query(() => type.readChunk(ctx, cursor, chunkRows));
    let text = '';
    for (const row of chunk.rows) text += csvRow(row);
    await emit(encoder.encode(text));
    if (produced > limits.maxArtifactBytes) throw new JobFailure('dataset_too_large', sizeLimitReason(limits.maxArtifactBytes));
    rowsDone += chunk.rows.length;
    cursor = chunk.cursor;
    segment = { cursor, offset: produced, rows: rowsDone };
    const { cancelRequested } = await heartbeat(run, { rows_done: rowsDone, bytes_written: produced, phase: 'writing' });
    if (cancelRequested) return cancel(run);
  } while (cursor !== null);

  // From here on a cancel is no longer honoured: the API said "may complete anyway".
  await heartbeat(run, { phase: 'finalizing' });
  const size = await storage(() => writer.finish());
  run.objectKey = key;
  return complete(run, { key, fileName, size, rows: rowsDone, contentType: CSV_CONTENT_TYPE });
}

async function complete(
  run: Run,
  artifact: { key: string; fileName: string; size: number; rows: number; contentType: string },
): Promise<RunOutcome> {
  const { env, job, token } = run;
  const finishedAt = run.now();
  const notify = JSON.parse(job.notify_emails) as string[];
  // Artifact and outbox rows first: they are guarded by the claim, which the last statement releases.
  const results = await env.DB.batch([
    insertArtifactStatement(
      env.DB,
      {
        id: newId(finishedAt),
        job_id: job.id,
        r2_key: artifact.key,
        size_bytes: artifact.size,
        content_type: artifact.contentType,
        file_name: artifact.fileName,
        row_count: artifact.rows,
        created_at: finishedAt,
        expires_at: finishedAt + settings(env).artifactRetentionDays * 86_400_000,
      },
      token,
    ),
    // Only now that R2 confirmed the object may anyone be told it is there.
    ...insertOutboxStatements(env.DB, job.id, token, notify, finishedAt),
    transitionJobStatement(env.DB, {
      id: job.id,
      from: 'running',
      to: 'completed',
      token,
      now: finishedAt,
      set: {
        phase: null,
        rows_done: artifact.rows,
        bytes_written: artifact.size,
        finished_at: finishedAt,
        checkpoint: null,
        claim_token: null,
        lease_expires_at: null,
      },
    }),
  ]);
  if ((results[results.length - 1]?.results?.length ?? 0) !== 1) throw new LostClaim();
  log('info', 'report_job.completed', { job_id: job.id, event_id: job.event_id, rows: artifact.rows, bytes: artifact.size });
  return 'completed';
}

/** Out of time for this invocation: let the lease lapse at once and queue the job again. */
async function yieldRun(run: Run, rowsDone: number): Promise<RunOutcome> {
  await heartbeat(run, { rows_done: rowsDone });
  await updateRunningJob(run.env.DB, run.job.id, run.token, run.now(), { lease_expires_at: run.now() - 1 });
  await run.env.REPORT_JOBS.send({ job_id: run.job.id });
  log('info', 'report_job.yielded', { job_id: run.job.id, rows_done: rowsDone });
  return 'yielded';
}

/** R2 trouble is the storage's, not the organizer's: say so in words they can act on. */
async function storage<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof JobFailure || err instanceof LostClaim || err instanceof SimulatedCrash) throw err;
    log('warn', 'report_job.storage_error', errorFields(err));
    throw new JobFailure('storage_unavailable', FAILURES.storage_unavailable);
  }
}

async function query<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw classifyError(err);
  }
}

/** Fail a job whose queue message was dead-lettered, whether it never started or its runner kept crashing. */
export async function failDeadLetteredJob(db: D1Database, jobId: string, now: number): Promise<boolean> {
  const set = {
    failure_code: 'interrupted',
    failure_reason: FAILURES.interrupted,
    finished_at: now,
    claim_token: null,
    lease_expires_at: null,
  };
  for (const from of ['queued', 'running'] as const) {
    if (await transitionJob(db, { id: jobId, from, to: 'failed', now, set })) return true;
  }
  return false;
}
