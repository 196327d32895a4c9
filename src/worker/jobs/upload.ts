// The end of a run: the multipart upload with its checkpoints, the finishing marker, the artifact
// and notification rows with the completed job in one batch, or giving the job back when the
// invocation runs out of time.

import { insertArtifactStatement } from '../db/artifacts';
import { completeJobStatement, releaseLease } from '../db/jobs';
import { insertOutboxStatements } from '../db/outbox';
import { retentionDays, settings } from '../env';
import { newId } from '../ids';
import { jobLogFields, log } from '../log';
import { MultipartWriter, type UploadState } from '../output/multipart';
import { type Checkpoint, FROM_THE_START, type ResumePoint } from './checkpoint';
import { FromHook, heartbeat, LostClaim, type Run, type RunOutcome, storage } from './run';

/**
 * Start the multipart upload (and checkpoint its id at once, so a crash never leaves an upload
 * nobody knows about) or resume the one in the checkpoint. After every part, the checkpoint
 * records the upload and `resumePoint()`: where regeneration would have to start.
 */
export async function openWriter(
  run: Run,
  target: { key: string; fileName: string; contentType: string; checkpoint: Checkpoint | null },
  resumePoint: () => ResumePoint,
): Promise<MultipartWriter> {
  const { key, fileName, checkpoint } = target;
  const save = async (upload: UploadState, phase: 'writing' | 'uploading') => {
    run.savedResumePoint = resumePoint();
    const next: Checkpoint = { key, file_name: fileName, upload, ...run.savedResumePoint };
    await heartbeat(run, { checkpoint: JSON.stringify(next), phase });
    return next;
  };
  const onPartUploaded = async (upload: UploadState) => {
    const next = await save(upload, 'uploading');
    try {
      await run.options.afterCheckpoint?.(next);
    } catch (thrown) {
      throw new FromHook(thrown);
    }
  };
  const bucket = run.env.REPORTS_BUCKET;
  const partSize = run.options.partSize;
  const writer = await storage(async () =>
    checkpoint
      ? MultipartWriter.resume(bucket, key, checkpoint.upload, { partSize, onPartUploaded })
      : MultipartWriter.start(bucket, key, { contentType: target.contentType, partSize, onPartUploaded }),
  );
  run.writer = writer;
  if (checkpoint)
    run.savedResumePoint = {
      cursor: checkpoint.cursor,
      cursor_offset: checkpoint.cursor_offset,
      rows_done: checkpoint.rows_done,
    };
  else await save({ ...writer.state, parts: [] }, 'writing');
  return writer;
}

/** From here on a cancel is no longer honoured: the API said "may complete anyway". */
export async function finishUpload(
  run: Run,
  writer: MultipartWriter,
  artifact: { key: string; fileName: string; rows: number; contentType: string },
): Promise<RunOutcome> {
  // The upload state and resume point stay those of the last part: if R2's complete never
  // happened, the next runner resumes from there as from any other checkpoint.
  const resumePoint = run.savedResumePoint ?? FROM_THE_START;
  const marker: Checkpoint = {
    key: artifact.key,
    file_name: artifact.fileName,
    upload: { ...writer.state, parts: [...writer.state.parts] },
    ...resumePoint,
    finishing: { size: writer.bytesWritten, rows: artifact.rows, content_type: artifact.contentType },
  };
  await heartbeat(run, { phase: 'finalizing', checkpoint: JSON.stringify(marker) });
  const size = await storage(() => writer.finish());
  run.objectKey = artifact.key;
  return complete(run, { ...artifact, size });
}

export async function complete(
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
        expires_at: finishedAt + retentionDays(settings(env), job.type) * 86_400_000,
      },
      token,
    ),
    // Only now that R2 confirmed the object may anyone be told it is there.
    ...insertOutboxStatements(env.DB, job.id, token, notify, finishedAt),
    completeJobStatement(env.DB, { id: job.id, token, now: finishedAt, rows: artifact.rows, bytes: artifact.size }),
  ]);
  if ((results[results.length - 1]?.results?.length ?? 0) !== 1) throw new LostClaim();
  log('info', 'report_job.completed', {
    ...jobLogFields(job),
    outcome: 'completed',
    rows: artifact.rows,
    bytes: artifact.size,
    queue_wait_ms: job.started_at === null ? null : job.started_at - job.created_at,
    run_ms: job.started_at === null ? null : finishedAt - job.started_at,
  });
  return 'completed';
}

/** Out of time for this invocation: let the lease lapse at once and queue the job again. */
export async function yieldRun(run: Run, rowsDone: number): Promise<RunOutcome> {
  await heartbeat(run, { rows_done: rowsDone });
  await releaseLease(run.env.DB, run.job.id, run.token, run.now());
  await run.env.REPORT_JOBS.send({ job_id: run.job.id });
  log('info', 'report_job.yielded', {
    ...jobLogFields(run.job),
    outcome: 'yielded',
    rows_done: rowsDone,
  });
  return 'yielded';
}
