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

import { devChunkDelayMs, serverClock } from '../clock';
import { findEvent } from '../db/events';
import { claimJob, failJob } from '../db/jobs';
import { artifactLimit, type Env, settings } from '../env';
import { newToken } from '../ids';
import { errorFields, jobLogFields, log } from '../log';
import { PDF_CONTENT_TYPE, PDF_MAX_ROWS, pdfRowLimitReason } from '../output/limits';
import { findReportType } from '../reports/catalog';
import { csvHeader, readCsvChunk } from '../reports/csv';
import { describeParams } from '../reports/describe';
import { type CommonParams, timeStyleOf } from '../reports/params';
import { cellsOf, type ReportContext, type ReportType } from '../reports/types';
import { ZonedClock } from '../time';
import { type Checkpoint, FROM_THE_START, parseCheckpoint, type ResumePoint } from './checkpoint';
import { classifyError, JobFailure, sizeLimitReason } from './failures';
import { artifactFileName, artifactKey, CSV_CONTENT_TYPE } from './files';
import {
  cancel,
  discardPartialOutput,
  FromHook,
  heartbeat,
  LEASE_MS,
  LostClaim,
  query,
  type Run,
  type RunOptions,
  type RunOutcome,
  storage,
} from './run';
import { complete, finishUpload, openWriter, yieldRun } from './upload';

export type { RunOptions, RunOutcome };

/** After this many claims a job that keeps dying is failed instead of resumed again. */
export const MAX_ATTEMPTS = 5;
const CHUNK_ROWS = 2_000;
/**
 * Keyset page of the CSV loop. Each page costs a D1 round trip and a heartbeat whatever its size:
 * 10,000 rows (about 1 MB of CSV) took the 500k-row orders export from ~6.4 to ~4.2 CPU-seconds in
 * workerd (bench/README.md), with memory per page still a few MB.
 */
const CSV_CHUNK_ROWS = 10_000;

const encoder = new TextEncoder();

/**
 * One turn of the event loop between chunks. Locally D1 and R2 live in the same workerd process,
 * and a runner that only ever awaits them never lets the loop poll its sockets: every other request
 * (the page's polling, a cancel) waited for the whole export, or never got an answer (bench/README.md).
 */
const nextMacrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function runReportJob(env: Env, jobId: string, options: RunOptions = {}): Promise<RunOutcome> {
  const now = await serverClock(env);
  const token = newToken();
  const job = await claimJob(env.DB, jobId, token, now(), LEASE_MS);
  if (!job) return 'skipped';
  log('info', 'report_job.claimed', {
    ...jobLogFields(job),
    outcome: 'running',
    attempt: job.attempts,
    resumed: job.checkpoint !== null,
    queue_wait_ms: job.started_at === null ? null : job.started_at - job.created_at,
  });
  const run: Run = { env, job, token, now, options };
  try {
    if (job.attempts > MAX_ATTEMPTS) throw new JobFailure('interrupted');
    return await generate(run);
  } catch (err) {
    if (err instanceof FromHook) throw err.thrown;
    if (err instanceof LostClaim) {
      log('warn', 'report_job.claim_lost', { ...jobLogFields(job), outcome: 'lost' });
      return 'lost';
    }
    const failure = err instanceof JobFailure ? err : classifyError(err);
    log('error', 'report_job.failed', {
      ...jobLogFields(job),
      outcome: 'failed',
      failure_code: failure.code,
      run_ms: job.started_at === null ? null : now() - job.started_at,
      ...errorFields(err),
    });
    const failed = await failJob(env.DB, {
      id: job.id,
      from: 'running',
      token,
      now: now(),
      code: failure.code,
      reason: failure.reason,
    });
    if (!failed) return 'lost';
    await discardPartialOutput(run);
    return 'failed';
  }
}

async function generate(run: Run): Promise<RunOutcome> {
  const { env, job } = run;
  const startedAt = run.now();
  const limits = settings(env);
  const budget = run.options.timeBudgetMs ?? limits.runnerTimeBudgetMs;
  const maxBytes = artifactLimit(limits, job.type);

  if (job.cancel_requested_at !== null) return cancel(run);
  const type = findReportType(job.type) as ReportType | undefined;
  if (!type) throw new JobFailure('invalid_parameters');
  const parsed = type.params.safeParse(JSON.parse(job.params));
  if (!parsed.success) throw new JobFailure('invalid_parameters');
  const event = await findEvent(env.DB, job.event_id);
  if (!event) throw new JobFailure('event_missing');

  const params = parsed.data;
  const clock = new ZonedClock(event.time_zone, timeStyleOf(params));
  const ctx = { db: env.DB, job, event, params, clock };
  const checkpoint = parseCheckpoint(job.checkpoint);
  const fileName =
    checkpoint?.file_name ??
    artifactFileName(event.slug, job.type, params.date_from, params.date_to ?? clock.dateOf(job.snapshot_at), params.format);
  const key = checkpoint?.key ?? artifactKey(job, fileName);
  const pdfMaxRows = run.options.pdfMaxRows ?? PDF_MAX_ROWS;

  if (checkpoint?.finishing) {
    const { size, rows, content_type } = checkpoint.finishing;
    const object = await storage(() => env.REPORTS_BUCKET.head(key));
    if (object?.size === size) {
      run.objectKey = key;
      return complete(run, { key, fileName, size, rows, contentType: content_type });
    }
  }

  if (!checkpoint) {
    const rowsExpected = await type.estimateRows(ctx);
    // A PDF that would be refused at the end is refused now, before any reading.
    if (params.format === 'pdf' && rowsExpected > pdfMaxRows) {
      throw new JobFailure('dataset_too_large', pdfRowLimitReason(pdfMaxRows));
    }
    if ((await heartbeat(run, { rows_expected: rowsExpected, phase: 'writing' })).cancelRequested) return cancel(run);
  }
  if (params.format === 'pdf') return generatePdf(run, type, ctx, { key, fileName, checkpoint, maxRows: pdfMaxRows });

  // Where the rows of the chunk being written begin; a checkpoint points here.
  let segment: ResumePoint = {
    cursor: checkpoint?.cursor ?? null,
    cursor_offset: checkpoint?.cursor_offset ?? 0,
    rows_done: checkpoint?.rows_done ?? 0,
  };
  let partsThisRun = 0;
  const writer = await openWriter(run, { key, fileName, contentType: CSV_CONTENT_TYPE, checkpoint }, () => {
    partsThisRun++;
    return segment;
  });

  // Bytes of the file regenerated so far; those before `uploaded_bytes` are already in R2.
  let produced = segment.cursor_offset;
  const alreadyUploaded = checkpoint?.upload.uploaded_bytes ?? 0;
  const emit = async (bytes: Uint8Array) => {
    const skip = Math.max(0, Math.min(bytes.length, alreadyUploaded - produced));
    produced += bytes.length;
    if (skip < bytes.length) await storage(() => writer.write(skip > 0 ? bytes.subarray(skip) : bytes));
  };

  if (segment.cursor === null) await emit(encoder.encode(csvHeader(type, ctx)));
  let cursor = segment.cursor;
  let rowsDone = segment.rows_done;
  const chunkRows = run.options.chunkRows ?? CSV_CHUNK_ROWS;
  const devDelay = await devChunkDelayMs(env);
  do {
    if (run.now() - startedAt > budget && partsThisRun > 0) return yieldRun(run, rowsDone);
    if (devDelay > 0 && (await slowPageForDevelopment(run, devDelay)).cancelRequested) return cancel(run);
    const chunk = await query(() => readCsvChunk(type, ctx, cursor, chunkRows));
    // A second turn between the page's read and its part upload: each takes ~50-100 ms locally, and
    // a poll that arrives during one should not wait for both.
    await nextMacrotask();
    await emit(encoder.encode(chunk.text));
    if (produced > maxBytes) throw new JobFailure('dataset_too_large', sizeLimitReason(maxBytes));
    rowsDone += chunk.rows;
    cursor = chunk.cursor;
    segment = { cursor, cursor_offset: produced, rows_done: rowsDone };
    const { cancelRequested } = await heartbeat(run, { rows_done: rowsDone, bytes_written: produced, phase: 'writing' });
    if (cancelRequested) return cancel(run);
    await nextMacrotask();
  } while (cursor !== null);

  return finishUpload(run, writer, { key, fileName, rows: rowsDone, contentType: CSV_CONTENT_TYPE });
}

/** How often a development slow-down looks for a cancel. */
const DEV_DELAY_STEP_MS = 100;

/**
 * Development only (`chunk_delay_ms` of `PUT /v1/dev/clock`): each page takes `ms` longer, so the
 * browser suite can act on a demo export while it is really running. Slept in short steps with a
 * heartbeat between them: a cancel lands within a step, as it would between two real pages.
 */
async function slowPageForDevelopment(run: Run, ms: number): Promise<{ cancelRequested: boolean }> {
  for (let slept = 0; slept < ms; slept += DEV_DELAY_STEP_MS) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(DEV_DELAY_STEP_MS, ms - slept)));
    if ((await heartbeat(run, {})).cancelRequested) return { cancelRequested: true };
  }
  return { cancelRequested: false };
}

/**
 * A PDF is laid out whole, so its rows are read into memory first (bounded by the row ceiling),
 * then the document is rendered and uploaded. After a crash the document is rendered again from
 * the same snapshot, byte for byte, and only the bytes R2 does not have yet are uploaded.
 */
async function generatePdf(
  run: Run,
  type: ReportType,
  ctx: ReportContext<CommonParams>,
  target: { key: string; fileName: string; checkpoint: Checkpoint | null; maxRows: number },
): Promise<RunOutcome> {
  const { env, job } = run;
  const { key, fileName, checkpoint, maxRows } = target;
  const chunkRows = run.options.chunkRows ?? CHUNK_ROWS;
  const rows: unknown[] = [];
  let cursor: string | null = null;
  do {
    const chunk = await query(() => type.readChunk(ctx, cursor, chunkRows));
    for (const row of chunk.rows) rows.push(row);
    if (rows.length > maxRows) throw new JobFailure('dataset_too_large', pdfRowLimitReason(maxRows));
    cursor = chunk.cursor;
    const { cancelRequested } = await heartbeat(run, { rows_done: rows.length, phase: 'writing' });
    if (cancelRequested) return cancel(run);
  } while (cursor !== null);

  const chart = type.chart ? await query(() => type.chart?.(ctx) ?? Promise.resolve(null)) : null;
  // Loaded here, not at the top: CSV jobs and API requests never evaluate the PDF writer.
  const { renderPdf } = await import('../output/pdf');
  const bytes = await renderPdf({
    title: type.name,
    eventName: ctx.event.name,
    parameters: await query(() => describeParams(type, ctx)),
    // The first claim's time: the same on every resume, so the bytes are too.
    generatedAt: job.started_at ?? job.snapshot_at,
    clock: ctx.clock,
    columns: type.columns,
    rows: cellsOf(type, rows, ctx),
    totals: type.totals?.(rows, ctx),
    chart,
  });
  const maxBytes = artifactLimit(settings(env), job.type);
  if (bytes.length > maxBytes) throw new JobFailure('dataset_too_large', sizeLimitReason(maxBytes));

  // No keyset position to resume from: a resumed runner renders the whole document again.
  const writer = await openWriter(run, { key, fileName, contentType: PDF_CONTENT_TYPE, checkpoint }, () => FROM_THE_START);
  const alreadyUploaded = checkpoint?.upload.uploaded_bytes ?? 0;
  await storage(() => writer.write(bytes.subarray(Math.min(alreadyUploaded, bytes.length))));
  if ((await heartbeat(run, { rows_done: rows.length, bytes_written: bytes.length })).cancelRequested) return cancel(run);

  return finishUpload(run, writer, { key, fileName, rows: rows.length, contentType: PDF_CONTENT_TYPE });
}
