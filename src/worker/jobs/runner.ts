// The queue consumer's work for one job: claim it, stream its rows into R2, record the artifact.
// Whatever happens after the claim, we MUST leave the job in a state someone can act on:
// completed, failed with a reason, or still running under a lease that expires on its own.

import { insertArtifactStatement } from '../db/artifacts';
import { findEvent } from '../db/events';
import { claimJob, type JobRow, transitionJob, transitionJobStatement, updateRunningJob } from '../db/jobs';
import { insertOutboxStatements } from '../db/outbox';
import { type Env, settings } from '../env';
import { newId, newToken } from '../ids';
import { errorFields, log } from '../log';
import { csvRow, UTF8_BOM } from '../output/csv';
import { MultipartWriter } from '../output/multipart';
import { findReportType } from '../reports/catalog';
import { ZonedClock } from '../time';
import { FAILURES, JobFailure, sizeLimitReason } from './failures';

/** How long a claim lasts without a heartbeat; the runner renews it after every chunk. */
export const LEASE_MS = 60_000;
const CHUNK_ROWS = 2_000;

export interface RunOptions {
  now?: () => number;
  chunkRows?: number;
}

export type RunOutcome = 'completed' | 'failed' | 'skipped' | 'lost';

const encoder = new TextEncoder();

export function artifactKey(job: Pick<JobRow, 'workspace_id' | 'event_id' | 'id'>, fileName: string): string {
  return `reports/${job.workspace_id}/${job.event_id}/${job.id}/${fileName}`;
}

export function artifactFileName(slug: string, type: string, from: string | undefined, to: string, format: string): string {
  return `${slug}_${type}_${from ?? 'all'}_${to}.${format}`;
}

export async function runReportJob(env: Env, jobId: string, options: RunOptions = {}): Promise<RunOutcome> {
  const now = options.now ?? Date.now;
  const token = newToken();
  const job = await claimJob(env.DB, jobId, token, now(), LEASE_MS);
  if (!job) return 'skipped';
  log('info', 'report_job.claimed', { job_id: job.id, event_id: job.event_id, attempt: job.attempts });

  let writer: MultipartWriter | undefined;
  try {
    const completed = await generate(env, job, token, now, options.chunkRows ?? CHUNK_ROWS, (w) => {
      writer = w;
    });
    return completed ? 'completed' : 'lost';
  } catch (err) {
    await writer
      ?.abort()
      .catch((abortErr) => log('warn', 'report_job.abort_failed', { job_id: job.id, ...errorFields(abortErr) }));
    const failure = err instanceof JobFailure ? err : new JobFailure('internal');
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
        claim_token: null,
        lease_expires_at: null,
      },
    });
    return failed ? 'failed' : 'lost';
  }
}

async function generate(
  env: Env,
  job: JobRow,
  token: string,
  now: () => number,
  chunkRows: number,
  onWriter: (w: MultipartWriter) => void,
): Promise<boolean> {
  const type = findReportType(job.type);
  if (!type) throw new JobFailure('invalid_parameters');
  const parsed = type.params.safeParse(JSON.parse(job.params));
  if (!parsed.success) throw new JobFailure('invalid_parameters');
  const event = await findEvent(env.DB, job.event_id);
  if (!event) throw new JobFailure('event_missing');

  const limits = settings(env);
  const clock = new ZonedClock(event.time_zone);
  const params = parsed.data;
  const ctx = { db: env.DB, job, event, params, clock };
  const fileName = artifactFileName(
    event.slug,
    job.type,
    params.date_from,
    params.date_to ?? clock.dateOf(job.snapshot_at),
    'csv',
  );
  const key = artifactKey(job, fileName);

  const rowsExpected = await type.estimateRows(ctx);
  if (!(await updateRunningJob(env.DB, job.id, token, now(), { rows_expected: rowsExpected, phase: 'writing' }))) return false;

  const writer = await storage(() => MultipartWriter.start(env.REPORTS_BUCKET, key, { contentType: 'text/csv; charset=utf-8' }));
  onWriter(writer);
  await storage(() => writer.write(encoder.encode((params.include_bom ? UTF8_BOM : '') + csvRow(type.columns))));

  let cursor: string | null = null;
  let rowsDone = 0;
  do {
    const chunk = await type.readChunk(ctx, cursor, chunkRows);
    let text = '';
    for (const row of chunk.rows) text += csvRow(row);
    await storage(() => writer.write(encoder.encode(text)));
    if (writer.bytesWritten > limits.maxArtifactBytes) {
      throw new JobFailure('dataset_too_large', sizeLimitReason(limits.maxArtifactBytes));
    }
    rowsDone += chunk.rows.length;
    cursor = chunk.cursor;
    const stillOurs = await updateRunningJob(env.DB, job.id, token, now(), {
      rows_done: rowsDone,
      bytes_written: writer.bytesWritten,
      lease_expires_at: now() + LEASE_MS,
    });
    if (!stillOurs) {
      await writer.abort();
      return false;
    }
  } while (cursor !== null);

  await updateRunningJob(env.DB, job.id, token, now(), { phase: 'finalizing' });
  const size = await storage(() => writer.finish());

  const finishedAt = now();
  const notify = JSON.parse(job.notify_emails) as string[];
  // Artifact and outbox rows first: they are guarded by the claim, which the last statement releases.
  const results = await env.DB.batch([
    insertArtifactStatement(
      env.DB,
      {
        id: newId(finishedAt),
        job_id: job.id,
        r2_key: key,
        size_bytes: size,
        content_type: 'text/csv; charset=utf-8',
        file_name: fileName,
        row_count: rowsDone,
        created_at: finishedAt,
        expires_at: finishedAt + limits.artifactRetentionDays * 86_400_000,
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
        rows_done: rowsDone,
        bytes_written: size,
        finished_at: finishedAt,
        claim_token: null,
        lease_expires_at: null,
      },
    }),
  ]);
  const won = (results[results.length - 1]?.results?.length ?? 0) === 1;
  log('info', 'report_job.completed', { job_id: job.id, event_id: job.event_id, rows: rowsDone, bytes: size, won });
  return won;
}

/** R2 trouble is the storage's, not the organizer's: say so in words they can act on. */
async function storage<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof JobFailure) throw err;
    log('warn', 'report_job.storage_error', errorFields(err));
    throw new JobFailure('storage_unavailable', FAILURES.storage_unavailable);
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
