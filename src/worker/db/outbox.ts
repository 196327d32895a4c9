import { newId } from '../ids';
import { CLAIM_HELD } from './jobs';

export interface OutboxRow {
  id: string;
  job_id: string;
  kind: string;
  recipient: string;
  status: 'queued' | 'sent' | 'bounced' | 'failed';
  attempts: number;
  next_attempt_at: number;
  message_id: string | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

/**
 * One row per recipient, written in the batch that marks the job completed, and only while
 * `token` still holds the running job: never before the artifact is confirmed, never twice.
 */
export function insertOutboxStatements(
  db: D1Database,
  jobId: string,
  token: string,
  recipients: readonly string[],
  now: number,
): D1PreparedStatement[] {
  return recipients.map((recipient) =>
    db
      .prepare(
        `INSERT INTO notification_outbox (id, job_id, kind, recipient, status, next_attempt_at, created_at, updated_at)
         SELECT ?, ?, 'report_ready', ?, 'queued', ?, ?, ? WHERE ${CLAIM_HELD}`,
      )
      .bind(newId(now), jobId, recipient, now, now, now, jobId, token),
  );
}
