import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { can } from '../auth/roles';
import { currentUser } from '../auth/session';
import { findArtifactByJob, recordDownloadStatement } from '../db/artifacts';
import { insertAuditStatement } from '../db/audit';
import { findEvent } from '../db/events';
import { findJob } from '../db/jobs';
import { findMembership } from '../db/users';
import type { AppEnv } from '../hono';
import { log } from '../log';
import { renderStatePage, type StatePage } from '../pages';
import { findReportType } from '../reports/catalog';
import { verifyDownloadSignature } from '../signing';

function wantsHtml(c: Context): boolean {
  return (c.req.header('accept') ?? '').includes('text/html');
}

/** Every answer a download link can get: a Voyage page for browsers, JSON with a code for API clients. */
function answer(c: Context<AppEnv>, status: ContentfulStatusCode, code: string, page: StatePage) {
  if (wantsHtml(c)) return c.html(renderStatePage(page), status);
  return c.json({ error: { code, message: page.message } }, status);
}

export const downloadRoutes = new Hono<AppEnv>().get('/:jobId/download', async (c) => {
  const eventId = c.req.param('eventId') ?? '';
  const jobId = c.req.param('jobId');
  const path = new URL(c.req.url).pathname;
  const expires = Number(c.req.query('expires'));
  const signature = c.req.query('signature') ?? '';
  const decision = (outcome: string, extra: Record<string, unknown> = {}) =>
    log('info', 'report_download.decision', { job_id: jobId, event_id: eventId, outcome, ...extra });

  if (
    !Number.isInteger(expires) ||
    !(await verifyDownloadSignature([c.env.REPORT_DOWNLOAD_SIGNING_SECRET], path, expires, signature))
  ) {
    decision('bad_signature');
    return answer(c, 403, 'bad_signature', {
      testId: 'bad-signature-page',
      title: 'This download link is not valid',
      message: 'The link is incomplete or has been altered. Open the report center to download the report.',
    });
  }

  const session = await currentUser(c);
  if (!session) {
    decision('signed_out');
    if (wantsHtml(c)) return c.redirect(`/login?next=${encodeURIComponent(path + new URL(c.req.url).search)}`, 302);
    return c.json({ error: { code: 'unauthenticated', message: 'Sign in to download this report.' } }, 401);
  }
  const user = session.user;
  const event = await findEvent(c.env.DB, eventId);
  const membership = event ? await findMembership(c.env.DB, user.id, event.workspace_id) : null;
  const job = await findJob(c.env.DB, jobId);
  if (!event || !membership || !job || job.event_id !== event.id) {
    decision('not_found', { user_id: user.id });
    return answer(c, 404, 'not_found', {
      testId: 'not-found-page',
      title: 'Report not found',
      message: 'This report does not exist in your workspace.',
    });
  }
  const type = findReportType(job.type);
  const reportTitle = `${type?.name ?? job.type} · ${event.name}`;
  if (!can(membership.role, type?.permission ?? 'reports:admin')) {
    decision('permission_denied', { user_id: user.id, workspace_id: event.workspace_id });
    return answer(c, 403, 'permission_denied', {
      testId: 'no-permission-page',
      title: 'No access to this report',
      reportTitle,
      message: "You don't have permission to access this report. Contact your workspace admin.",
    });
  }

  const now = Date.now();
  if (expires * 1000 <= now) {
    decision('link_expired', { user_id: user.id });
    return answer(c, 410, 'link_expired', {
      testId: 'expired-download-page',
      title: 'Download link expired',
      reportTitle,
      message: `This download link expired on ${new Date(expires * 1000).toUTCString()}. Generate a new download link.`,
    });
  }

  const artifact = job.status === 'completed' ? await findArtifactByJob(c.env.DB, job.id) : null;
  const object = artifact && artifact.swept_at === null ? await c.env.REPORTS_BUCKET.get(artifact.r2_key) : null;
  if (!artifact || !object) {
    decision('not_ready', { user_id: user.id, status: job.status });
    return answer(c, 409, 'still_preparing', {
      testId: 'still-preparing-page',
      title: 'Your report is still being prepared',
      reportTitle,
      message: 'Your report is still being prepared — please check back in a moment.',
      refreshSeconds: 5,
    });
  }

  await c.env.DB.batch([
    recordDownloadStatement(c.env.DB, artifact.id, now),
    insertAuditStatement(c.env.DB, {
      workspace_id: event.workspace_id,
      actor_user_id: user.id,
      action: 'report.downloaded',
      subject_type: 'event_report_job',
      subject_id: job.id,
      detail: { file_name: artifact.file_name, size_bytes: artifact.size_bytes },
      now,
    }),
  ]);
  decision('served', { user_id: user.id, workspace_id: event.workspace_id, bytes: artifact.size_bytes });
  return new Response(object.body, {
    headers: {
      'content-type': artifact.content_type,
      'content-length': String(object.size),
      'content-disposition': `attachment; filename="${artifact.file_name.replace(/[^A-Za-z0-9._-]/g, '_')}"`,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});
