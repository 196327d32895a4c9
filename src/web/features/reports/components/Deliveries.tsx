import { formatDateTimeIn } from '../../../lib/format';
import type { Job, JobNotification } from '../api/types';

const STATUS_WORDS: Record<string, string> = {
  queued: 'sending',
  sent: 'sent',
  bounced: 'bounced',
  failed: 'could not be sent',
};

/**
 * Who the "report ready" email went to, each address with its latest delivery: after a resend to
 * a corrected address the old bounce is history, and the list says what happened last.
 */
export function Deliveries({ job, timeZone }: { job: Job; timeZone: string }) {
  const latest: JobNotification[] = job.notifications ?? [];
  if (latest.length === 0) {
    return job.notify_emails.length > 0 ? <p className="job-meta">Email to {job.notify_emails.join(', ')}</p> : null;
  }
  const ordered = [...latest].sort((a, b) => b.at - a.at);
  return (
    <div className="job-meta" data-test="report-job-deliveries">
      Email to
      <ul className="job-deliveries">
        {ordered.map((n) => (
          <li key={n.recipient} data-test="report-job-delivery" data-status={n.status}>
            <span className="job-delivery-address">{n.recipient}</span>: {STATUS_WORDS[n.status] ?? n.status}
            <span className="muted"> · {formatDateTimeIn(n.at, timeZone)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A bounce still needs someone: no email of this job went out (or is going out) since the last
 * bounce. After a resend to a corrected address the box gives way to the list above, which still
 * shows the old address as bounced.
 */
export function bounceOutstanding(job: Job): boolean {
  if (job.notification_bounced !== true) return false;
  const latest = job.notifications ?? [];
  const lastBounce = Math.max(0, ...latest.filter((n) => n.status === 'bounced').map((n) => n.at));
  return !latest.some((n) => (n.status === 'sent' || n.status === 'queued') && n.at > lastBounce);
}
