import { env } from 'cloudflare:workers';
import { FAILURES } from '../src/worker/jobs/failures';
import { JOB_STATUSES } from '../src/worker/jobs/state';

interface JobFacts {
  id: string;
  status: string;
  failure_code: string | null;
  failure_reason: string | null;
  rows_done: number;
  checkpoint: string | null;
  lease_expires_at: number | null;
}
interface ArtifactFacts {
  job_id: string;
  r2_key: string;
  size_bytes: number;
  row_count: number;
  swept_at: number | null;
}

/**
 * What must hold after any sequence of requests, faults, crashes and recoveries. Returns the list of
 * violations (empty when all is well) so a failing suite names every broken promise at once.
 *
 * 1. Every job has a known status; with `settled`, none is queued or running any more.
 * 2. A completed job has exactly one live artifact whose R2 object exists with the recorded size,
 *    and its rows_done equals the artifact's row count.
 * 3. An expired job's artifact is marked swept and its object is gone.
 * 4. A failed or cancelled job has no artifact row and no object under its prefix.
 * 5. A failed job carries a code from the failure catalog and a reason without a stack trace.
 * 6. Every object under reports/ belongs to a live artifact row (no orphans).
 * 7. No multipart upload of a finished job can still be completed (none left open).
 * 8. Notifications exist only for jobs that completed.
 */
export async function checkInvariants(options: { settled?: boolean; jobIds?: string[] } = {}): Promise<string[]> {
  const problems: string[] = [];
  // json_each: D1 binds at most 100 parameters per statement.
  const filter = options.jobIds ? ' WHERE id IN (SELECT value FROM json_each(?))' : '';
  const jobs = (
    await env.DB.prepare(`SELECT * FROM event_report_jobs${filter}`)
      .bind(...(options.jobIds ? [JSON.stringify(options.jobIds)] : []))
      .all<JobFacts>()
  ).results;
  const artifacts = (await env.DB.prepare('SELECT * FROM event_report_job_artifacts').all<ArtifactFacts>()).results;
  const byJob = new Map<string, ArtifactFacts[]>();
  for (const a of artifacts) byJob.set(a.job_id, [...(byJob.get(a.job_id) ?? []), a]);

  for (const job of jobs) {
    const own = byJob.get(job.id) ?? [];
    if (!(JOB_STATUSES as readonly string[]).includes(job.status)) problems.push(`${job.id}: unknown status ${job.status}`);
    if (options.settled && (job.status === 'queued' || job.status === 'running')) problems.push(`${job.id}: still ${job.status}`);
    if (job.status === 'completed') {
      const live = own.filter((a) => a.swept_at === null);
      if (live.length !== 1) problems.push(`${job.id}: completed with ${live.length} live artifacts`);
      for (const a of live) {
        const head = await env.REPORTS_BUCKET.head(a.r2_key);
        if (!head) problems.push(`${job.id}: artifact points to missing object ${a.r2_key}`);
        else if (head.size !== a.size_bytes) problems.push(`${job.id}: object is ${head.size} bytes, row says ${a.size_bytes}`);
        if (a.row_count !== job.rows_done) problems.push(`${job.id}: rows_done ${job.rows_done} ≠ artifact rows ${a.row_count}`);
      }
    }
    if (job.status === 'expired') {
      for (const a of own) {
        if (a.swept_at === null) problems.push(`${job.id}: expired but artifact not marked swept`);
        if (await env.REPORTS_BUCKET.head(a.r2_key)) problems.push(`${job.id}: expired but object still there`);
      }
    }
    if (job.status === 'failed' || job.status === 'cancelled') {
      if (own.length > 0) problems.push(`${job.id}: ${job.status} but has an artifact row`);
      const listed = await env.REPORTS_BUCKET.list({ prefix: `reports/` });
      const left = listed.objects.filter((o) => o.key.includes(`/${job.id}/`));
      if (left.length > 0) problems.push(`${job.id}: ${job.status} but objects remain: ${left.map((o) => o.key).join(', ')}`);
    }
    if (job.status === 'failed') {
      if (!job.failure_code || !(job.failure_code in FAILURES))
        problems.push(`${job.id}: failure code ${job.failure_code} not in the catalog`);
      if (!job.failure_reason || /Error|at .+:\d+|stack/i.test(job.failure_reason))
        problems.push(`${job.id}: unreadable reason ${job.failure_reason}`);
    }
    if (job.status !== 'queued' && job.status !== 'running' && job.status !== 'completed' && job.checkpoint) {
      const cp = JSON.parse(job.checkpoint) as { key: string; upload: { upload_id: string; parts: R2UploadedPart[] } };
      const stillOpen = await env.REPORTS_BUCKET.resumeMultipartUpload(cp.key, cp.upload.upload_id)
        .complete(cp.upload.parts)
        .then(
          () => true,
          () => false,
        );
      if (stillOpen) {
        problems.push(`${job.id}: its multipart upload was still open`);
        await env.REPORTS_BUCKET.delete(cp.key);
      }
    }
  }

  const live = new Set(artifacts.filter((a) => a.swept_at === null).map((a) => a.r2_key));
  let cursor: string | undefined;
  do {
    const page = await env.REPORTS_BUCKET.list({ prefix: 'reports/', cursor });
    for (const o of page.objects) if (!live.has(o.key)) problems.push(`orphaned object ${o.key}`);
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);

  const strayMail = await env.DB.prepare(
    `SELECT o.job_id FROM notification_outbox o JOIN event_report_jobs j ON j.id = o.job_id
      WHERE o.kind = 'report_ready' AND j.status NOT IN ('completed', 'expired')`,
  ).all<{ job_id: string }>();
  for (const m of strayMail.results) problems.push(`${m.job_id}: notification for a job that did not complete`);
  return problems;
}
