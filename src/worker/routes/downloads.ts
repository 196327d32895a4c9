import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { can } from '../auth/roles';
import { currentUser } from '../auth/session';
import { type ArtifactRow, findArtifactByJob, recordDownloadStatement } from '../db/artifacts';
import { insertAuditStatement } from '../db/audit';
import type { EventRow } from '../db/events';
import { findJob, type JobRow } from '../db/jobs';
import { countEvent, type MetricEvent } from '../db/metrics';
import { findEventForMember } from '../db/users';
import { type Env, retentionDays, settings, signingSecrets } from '../env';
import { ApiError } from '../errors';
import type { AppEnv } from '../hono';
import { log } from '../log';
import { components, defineRoute, file, json, Routes } from '../openapi/route';
import { contentDisposition } from '../output/content-disposition';
import { renderStatePage, SHOW_READY, type StatePage, wantsHtml } from '../pages';
import { findReportType } from '../reports/catalog';
import { verifyDownloadSignature } from '../signing';

type Outcome = Extract<MetricEvent, `download_${string}`> extends `download_${infer O}` ? O : never;

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
    message: `This report's files were removed after ${retentionDays(settings(env), job.type)} days. Generate a new one.`,
    action: regenerateAction(event, job, 'Generate a new report'),
  };
}

/**
 * A download answers with a file, which leaves the page where it was: a still-preparing page that
 * refreshed itself into the download would say "still being prepared" forever, an expired-link page
 * whose form led to the file would still say "expired". So they lead to the link marked
 * `show=ready`, which answers a browser with the ready page, and that page starts the download
 * (the link without the mark).
 */

function stillPreparingPage(reportTitle: string, link?: string): StatePage {
  return {
    testId: 'still-preparing-page',
    title: 'Your report is still being prepared',
    reportTitle,
    message: 'Your report is still being prepared — please check back in a moment.',
    refreshSeconds: 5,
    ...(link ? { refreshUrl: `${link}&${SHOW_READY}` } : {}),
  };
}

function readyPage(reportTitle: string, link: string, eventId: string): StatePage {
  return {
    testId: 'download-ready-page',
    title: 'Your report is ready',
    reportTitle,
    message: 'The download has started. If it does not, use the button. The report is also in the report center.',
    action: { label: 'Download the report', href: link, testId: 'download-ready-cta' },
    secondary: { label: 'Open the report center', href: `/admin/events/${eventId}/reports` },
    refreshSeconds: 0,
    refreshUrl: link,
  };
}

const ID = /^[a-z0-9]{1,64}$/;

/** What a browser sees when "Generate a new download link" is refused (the API's own message). */
function refusalPage(error: ApiError, eventId: string): StatePage {
  const reportCenter = { label: 'Open the report center', href: `/admin/events/${eventId}/reports` };
  if (error.status === 404) {
    return { testId: 'not-found-page', title: 'Report not found', message: 'This report does not exist in your workspace.' };
  }
  if (error.status === 403) return { testId: 'no-permission-page', title: 'No access to this report', message: error.message };
  if (error.status === 409) {
    return {
      testId: 'still-preparing-page',
      title: 'Your report is still being prepared',
      message: error.message,
      action: reportCenter,
    };
  }
  if (error.status === 429) {
    return { testId: 'link-refused-page', title: 'Daily report limit reached', message: error.message, action: reportCenter };
  }
  if (error.status === 503) {
    return { testId: 'link-refused-page', title: 'New reports are paused', message: error.message, action: reportCenter };
  }
  return { testId: 'link-refused-page', title: 'No new link right now', message: error.message, action: reportCenter };
}

/**
 * Documented, not validated up front: a link missing either is refused by the signature check
 * below, with the page a browser should see.
 */
const signedLinkQuery = z.object({
  expires: z.string().regex(/^\d+$/).describe('Unix time (seconds) after which the link is refused.'),
  signature: z
    .string()
    .regex(/^[0-9a-f]{64}$/)
    .describe('HMAC-SHA256 of the path and expiry.'),
  show: z
    .enum(['ready'])
    .optional()
    .describe('Browsers: answer with the "ready" page, which starts the download, instead of the file itself.'),
});

export const downloadRoutes = new Routes().handle(
  defineRoute({
    method: 'get',
    path: '/{jobId}/download',
    tags: ['Reports'],
    summary: 'Download a report file (signed link)',
    description:
      'The link must carry a valid `expires` and `signature`; the caller must be signed in and still allowed to read the report (checked again at download). Browsers get Voyage pages for every refusal and a sign-in redirect when signed out; API clients get the JSON error. Every decision is logged and counted (voyage_reports_download_decisions_total).',
    auth: 'signed-link',
    request: { query: signedLinkQuery },
    errors: [401, 404, 410],
    responses: {
      200: file('application/octet-stream', 'The file.'),
      302: { description: 'Signed out (browsers): to the sign-in page, coming back afterwards.' },
      403: json(
        components.Error,
        { error: { code: 'permission_denied', message: "You don't have permission to access this report." } },
        'Bad signature, or no permission.',
      ),
      409: json(
        components.Error,
        { error: { code: 'still_preparing', message: 'Your report is still being prepared — please check back in a moment.' } },
        'Not ready yet, or the job did not complete.',
      ),
    },
  }),
  async (c) => {
    const eventId = c.req.param('eventId') ?? '';
    const jobId = c.req.param('jobId') ?? '';
    const url = new URL(c.req.url);
    const expires = Number(c.req.query('expires'));
    const signature = c.req.query('signature') ?? '';
    // The link itself, for the pages that lead on to it (its signature covers the path and expiry).
    const link = `${url.pathname}?expires=${encodeURIComponent(String(c.req.query('expires') ?? ''))}&signature=${encodeURIComponent(signature)}`;
    // HEAD (a download manager or link checker probing) gets the same answer without the file. It is
    // not a download: nothing is counted, audited or added to the download metrics.
    const probe = c.req.method === 'HEAD';
    // One log line and one durable count per decision: the rollout signals of docs/spec/orders-export-spec-packet.txt.
    const decision = async (outcome: Outcome, extra: Record<string, unknown> = {}) => {
      log('info', 'report_download.decision', {
        job_id: jobId,
        event_id: eventId,
        outcome,
        ...(probe ? { method: 'HEAD' } : {}),
        ...extra,
      });
      if (!probe) await countEvent(c.env.DB, `download_${outcome}`, c.get('now'));
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
        // The button says what it will do: re-sign the link, or (the file is gone) make the report again.
        message: `This download link expired on ${formatInZone(expires * 1000, event.time_zone)}. ${
          gone ? 'Its file was removed too: generate a new report.' : 'Generate a new download link.'
        }`,
        action: regenerateAction(event, job, gone ? 'Generate a new report' : 'Generate a new download link'),
      });
    }
    if (job.status === 'expired') {
      await decision('artifact_swept', logged);
      return answer(c, 410, 'artifact_swept', sweptPage(c.env, event, job, reportTitle));
    }
    if (job.status === 'queued' || job.status === 'running') {
      await decision('not_ready', { ...logged, status: job.status });
      return answer(c, 409, 'still_preparing', stillPreparingPage(reportTitle, link));
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
    // Past its retention the file is gone from that moment, whether or not the sweeper has run yet.
    if (artifact && artifact.swept_at === null && artifact.expires_at <= now) {
      await decision('artifact_swept', { ...logged, retention_ended_at: artifact.expires_at });
      return answer(c, 410, 'artifact_swept', sweptPage(c.env, event, job, reportTitle));
    }
    // From the still-preparing page or the expired-link form: the page changes to "ready", which starts the download.
    if (c.req.query('show') === 'ready' && wantsHtml(c) && !probe) {
      return c.html(renderStatePage(readyPage(reportTitle, link, event.id)), 200);
    }
    const object = artifact && artifact.swept_at === null ? await readObject(c.env.REPORTS_BUCKET, artifact.r2_key, probe) : null;
    if (!artifact || !object) {
      // The sweeper may have marked it between our reads: look again before saying anything.
      const again = await findArtifactByJob(c.env.DB, job.id);
      if (again?.swept_at) {
        await decision('artifact_swept', logged);
        return answer(c, 410, 'artifact_swept', sweptPage(c.env, event, job, reportTitle));
      }
      await decision('not_ready', { ...logged, status: job.status, artifact: artifact !== null });
      return answer(c, 409, 'still_preparing', stillPreparingPage(reportTitle, link));
    }

    if (!probe) await recordDownload(c.env, event, job, artifact, user.id, c.get('now'));
    await decision('served', { ...logged, bytes: artifact.size_bytes });
    return fileResponse(object, artifact);
  },
);

/** The report file itself, as an attachment nobody caches. */
export function fileResponse(object: { size: number; body: ReadableStream | null }, artifact: ArtifactRow): Response {
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

// The "Generate a new download link" form of these pages posts to …/download-link (routes/jobs.ts).
// A browser gets a refusal the way the download route gives it: a sign-in redirect or a Voyage
// page, never raw JSON. API clients keep their JSON.
downloadRoutes.use('/:jobId/download-link', async (c, next) => {
  // Read before next(): afterwards the params are those of whichever handler ran last.
  const eventId = c.req.param('eventId') ?? '';
  const jobId = c.req.param('jobId') ?? '';
  await next();
  const error = c.error;
  if (!(error instanceof ApiError) || !wantsHtml(c)) return;
  if (error.status === 401) {
    // Back to the job in the report center after signing in (a form post cannot be replayed).
    const back = ID.test(eventId) && ID.test(jobId) ? `/admin/events/${eventId}/reports?highlight=${jobId}` : '/admin/events';
    c.res = c.redirect(`/login?next=${encodeURIComponent(back)}`, 302);
    return;
  }
  c.res = await c.html(renderStatePage(refusalPage(error, eventId)), error.status);
});

/** The file's size and body; for HEAD only its size (R2 head: the body is never read). */
async function readObject(
  bucket: R2Bucket,
  key: string,
  probe: boolean,
): Promise<{ size: number; body: ReadableStream | null } | null> {
  if (probe) {
    const head = await bucket.head(key);
    return head && { size: head.size, body: null };
  }
  const object = await bucket.get(key);
  return object && { size: object.size, body: object.body };
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
