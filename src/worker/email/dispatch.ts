// The outbox dispatcher (cron): sends due notification_outbox rows through the EMAIL binding,
// retrying with backoff. A row is claimed (attempt counted, next attempt pushed out) before it is
// sent, so overlapping runs never send it twice.

import { findArtifactByJob } from '../db/artifacts';
import { findEvent } from '../db/events';
import { findJob } from '../db/jobs';
import { countEvent } from '../db/metrics';
import {
  claimNotification,
  listDueNotifications,
  markNotificationAttemptFailed,
  markNotificationSent,
  type OutboxRow,
} from '../db/outbox';
import { type Env, retentionDays, settings } from '../env';
import { errorFields, log } from '../log';
import { findReportType } from '../reports/catalog';
import { downloadPath, linkExpiry, signDownloadUrl } from '../signing';
import { renderInvitationEmail } from './invitation';
import { accessRequestEmail, type EmailContent, reportReadyEmail } from './messages';
import { emailLinkOrigin } from './origin';
import { ineligibleRecipients } from './recipients';

export const MAX_EMAIL_ATTEMPTS = 5;

/** 2, 4, 8, 16 minutes between attempts. */
function backoffMs(attempt: number): number {
  return Math.min(60, 2 ** attempt) * 60_000;
}

/** The email a row stands for, or a reason it can no longer be sent. */
async function render(env: Env, row: OutboxRow, now: number, origin: string): Promise<EmailContent | { cannotSend: string }> {
  if (row.kind === 'access_request') {
    return accessRequestEmail(JSON.parse(row.payload) as Parameters<typeof accessRequestEmail>[0]);
  }
  if (row.kind === 'invitation') return renderInvitationEmail(env, row, now);
  const job = row.job_id ? await findJob(env.DB, row.job_id) : null;
  const event = job ? await findEvent(env.DB, job.event_id) : null;
  const artifact = job ? await findArtifactByJob(env.DB, job.id) : null;
  if (!job || !event || !artifact || job.status !== 'completed' || artifact.swept_at !== null || artifact.expires_at <= now) {
    return { cannotSend: 'the report is no longer available' };
  }
  // Checked again when sending: a recipient whose access ended since the request gets nothing.
  const type = findReportType(job.type);
  if (!type || (await ineligibleRecipients(env.DB, job.workspace_id, type, [row.recipient])).length > 0) {
    return { cannotSend: 'the recipient is not a member who can open this report' };
  }
  const expires = linkExpiry(env, now);
  const url = await signDownloadUrl(env.REPORT_DOWNLOAD_SIGNING_SECRET, downloadPath(event.id, job.id), expires);
  return reportReadyEmail({
    reportName: type.name,
    eventName: event.name,
    fileName: artifact.file_name,
    url: new URL(url, origin).toString(),
    // In the event's time zone, named: the same zone the report center and the files use.
    linkExpiresOn: `${new Intl.DateTimeFormat('en-US', {
      dateStyle: 'long',
      timeStyle: 'short',
      timeZone: event.time_zone,
    }).format(expires * 1000)} (${event.time_zone})`,
    retentionDays: retentionDays(settings(env), job.type),
  });
}

export async function dispatchOutbox(
  env: Env,
  now: number,
): Promise<{ sent: number; failed: number; retried: number } | { refused: string }> {
  const links = emailLinkOrigin(env);
  if ('refused' in links) {
    // Nothing is sent and nothing is given up on: the emails wait until the origin is fixed.
    log('error', 'email.dispatcher_refused', { reason: links.refused, app_env: env.APP_ENV });
    await countEvent(env.DB, 'email_dispatch_refused', now);
    return { refused: links.refused };
  }
  const counts = { sent: 0, failed: 0, retried: 0 };
  for (const due of await listDueNotifications(env.DB, now)) {
    const row = await claimNotification(env.DB, due, now, now + backoffMs(due.attempts + 1));
    if (!row) continue; // another dispatcher took it
    try {
      const content = await render(env, row, now, links.origin);
      if ('cannotSend' in content) {
        await markNotificationAttemptFailed(env.DB, row.id, content.cannotSend, true, now);
        counts.failed++;
        continue;
      }
      const result = await env.EMAIL.send({ from: env.EMAIL_FROM, to: row.recipient, ...content });
      await markNotificationSent(env.DB, row.id, result.messageId, now);
      counts.sent++;
      log('info', 'email.sent', { outbox_id: row.id, job_id: row.job_id, kind: row.kind, message_id: result.messageId });
    } catch (err) {
      const final = row.attempts >= MAX_EMAIL_ATTEMPTS;
      await markNotificationAttemptFailed(env.DB, row.id, err instanceof Error ? err.message : String(err), final, now);
      counts[final ? 'failed' : 'retried']++;
      log('warn', 'email.send_failed', {
        outbox_id: row.id,
        job_id: row.job_id,
        attempt: row.attempts,
        final,
        ...errorFields(err),
      });
    }
  }
  return counts;
}
