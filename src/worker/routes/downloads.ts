import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { can } from '../auth/roles';
import { currentUser } from '../auth/session';
import { type ArtifactRow, findArtifactByJob, recordDownloadStatement } from '../db/artifacts';
import { insertAuditStatement } from '../db/audit';
import type { EventRow } from '../db/events';
import { findJob, type JobRow } from '../db/jobs';
import { countEvent, type MetricEvent } from '../db/metrics';
import { findEventForMember } from '../db/users';
import { type Env, settings, signingSecrets } from '../env';
import type { AppEnv } from '../hono';
import { log } from '../log';
import { renderStatePage, type StatePage, wantsHtml } from '../pages';
import { findReportType } from '../reports/catalog';
import { verifyDownloadSignature } from '../signing';

type Outcome = MetricEvent extends `download_${infer O}` ? O : never;

/** Every answer a download link can get: a Voyage page for browsers, JSON with a code for API clients. */
function answer(c: Context<AppEnv>, status: ContentfulStatusCode, code: string, page: StatePage) {
  if (wantsHtml(c)) return c.html(renderStatePage(page), status);
  return c.json({ error: { code, message: page.message } }, status);
}

function formatInZone(ts: number, timeZone: string): string {
  return `${new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone }).format(ts)} (${timeZone})`;
}

const regenerateAction = (event: EventRow, job: JobRow, label: string) => ({
  label,
  formAction: `/v1/admin/events/${event.id}/reports/jobs/${job.id}/download-link`,
  testId: 'expired-download-regenerate-cta',
});

/** The report's file is gone for good: the sweeper removed it after the retention period. */
function sweptPage(env: Env, event: EventRow, job: JobRow, reportTitle: string): StatePage {
  return {
    testId: 'expired-download-page',
    reason: 'artifact-swept',
    title: 'Report files removed',
    reportTitle,
    message: `This report's artifacts were removed after ${settings(env).artifactRetentionDays} days. Generate a new one.`,
    action: regenerateAction(event, job, 'Generate a new report'),
  };
}

function stillPreparingPage(reportTitle: string): StatePage {
  return {
    testId: 'still-preparing-page',
    title: 'Your report is still being prepared',
    reportTitle,
    message: 'Your report is still being prepared — please check back in a moment.',
    refreshSeconds: 5,
  };
}

export const downloadRoutes = new Hono<AppEnv>().get('/:jobId/download', async (c) => {
  const eventId = c.req.param('eventId') ?? '';
  const jobId = c.req.param('jobId');
  const url = new URL(c.req.url);
  const expires = Number(c.req.query('expires'));
  const signature = c.req.query('signature') ?? '';
  // One log line and one durable count per decision: the rollout signals of the spec packet.
  const decision = async (outcome: Outcome, extra: Record<string, unknown> = {}) => {
    log('info', 'report_download.decision', { job_id: jobId, event_id: eventId, outcome, ...extra });
    await countEvent(c.env.DB, `download_${outcome}`, c.get('now'));
  };

  if (!Number.isInteger(expires) || !(await verifyDownloadSignature(signingSecrets(c.env), url.pathname, expires, signature))) {
    await decision('bad_signature');
    return answer(c, 403, 'bad_signature', {
      testId: 'bad-signature-page',
      title: 'This download link is not valid',
      message: 'The link is incomplete or has been altered. Open the report center to download the report.',
    });
  }

  const session = await currentUser(c);
  if (!session) {
    await decision('signed_out');
    if (wantsHtml(c)) return c.redirect(`/login?next=${encodeURIComponent(url.pathname + url.search)}`, 302);
    return c.json({ error: { code: 'unauthenticated', message: 'Sign in to download this report.' } }, 401);
  }
  const user = session.user;
  const found = await findEventForMember(c.env.DB, user.id, eventId);
  const job = found ? await findJob(c.env.DB, jobId) : null;
  if (!found || !job || job.event_id !== found.event.id) {
    await decision('not_found', { user_id: user.id });
    return answer(c, 404, 'not_found', {
      testId: 'not-found-page',
      title: 'Report not found',
      message: 'This report does not exist in your workspace.',
    });
  }
  const { event, membership } = found;
  const logged = { user_id: user.id, workspace_id: event.workspace_id };
  const type = findReportType(job.type);
  const reportTitle = `${type?.name ?? job.type} · ${event.name}`;
  // Checked again at download: a role downgraded since the request, or a link shared outside
  // the account, does not get the file. The artifact stays for those who may.
  if (!can(membership.role, type?.permission ?? 'reports:admin')) {
    await decision('permission_denied', logged);
    return answer(c, 403, 'permission_denied', {
      testId: 'no-permission-page',
      title: 'No access to this report',
      reportTitle,
      message: "You don't have permission to access this report. Contact your workspace admin.",
    });
  }

  const now = c.get('now');
  if (expires * 1000 <= now) {
    await decision('link_expired', logged);
    const gone = job.status === 'expired';
    return answer(c, 410, 'link_expired', {
      testId: 'expired-download-page',
      reason: 'link-expired',
      title: 'Download link expired',
      reportTitle,
      message: `This download link expired on ${formatInZone(expires * 1000, event.time_zone)}. Generate a new download link.`,
      action: regenerateAction(event, job, gone ? 'Generate a new report' : 'Generate a new download link'),
    });
  }
  if (job.status === 'expired') {
    await decision('artifact_swept', logged);
    return answer(c, 410, 'artifact_swept', sweptPage(c.env, event, job, reportTitle));
  }
  if (job.status === 'queued' || job.status === 'running') {
    await decision('not_ready', { ...logged, status: job.status });
    return answer(c, 409, 'still_preparing', stillPreparingPage(reportTitle));
  }
  if (job.status !== 'completed') {
    await decision('not_available', { ...logged, status: job.status });
    return answer(c, 409, 'not_available', {
      testId: 'not-available-page',
      title: 'This report did not complete',
      reportTitle,
      message: `This report was ${job.status}, so there is no file to download. Re-run it from the report center.`,
      action: { label: 'Open the report center', href: `/admin/events/${event.id}/reports` },
    });
  }

  const artifact = await findArtifactByJob(c.env.DB, job.id);
  const object = artifact && artifact.swept_at === null ? await c.env.REPORTS_BUCKET.get(artifact.r2_key) : null;
  if (!artifact || !object) {
    // The sweeper may have marked it between our reads: look again before saying anything.
    const again = await findArtifactByJob(c.env.DB, job.id);
    if (again?.swept_at) {
      await decision('artifact_swept', logged);
      return answer(c, 410, 'artifact_swept', sweptPage(c.env, event, job, reportTitle));
    }
    await decision('not_ready', { ...logged, status: job.status, artifact: artifact !== null });
    return answer(c, 409, 'still_preparing', stillPreparingPage(reportTitle));
  }

  await recordDownload(c.env, event, job, artifact, user.id, c.get('now'));
  await decision('served', { ...logged, bytes: artifact.size_bytes });
  return fileResponse(object, artifact);
});

/** The report file itself, as an attachment nobody caches. */
export function fileResponse(object: R2ObjectBody, artifact: ArtifactRow): Response {
  return new Response(object.body, {
    headers: {
      'content-type': artifact.content_type,
      'content-length': String(object.size),
      'content-disposition': contentDisposition(artifact.file_name),
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}

/** The artifact's download count and an audit entry, together. */
export async function recordDownload(env: Env, event: EventRow, job: JobRow, artifact: ArtifactRow, userId: string, now: number) {
  await env.DB.batch([
    recordDownloadStatement(env.DB, artifact.id, now),
    insertAuditStatement(env.DB, {
      workspace_id: event.workspace_id,
      actor_user_id: userId,
      action: 'report.downloaded',
      subject_type: 'event_report_job',
      subject_id: job.id,
      detail: { file_name: artifact.file_name, size_bytes: artifact.size_bytes },
      now,
    }),
  ]);
}

/** An ASCII fallback name plus the exact UTF-8 name (RFC 6266); no quotes or path characters get through. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
