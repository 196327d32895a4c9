import { newId } from '../ids';
import { CLAIM_HELD } from './jobs';
import { allRows, type SqlPart } from './sql';

export type OutboxStatus = 'queued' | 'sent' | 'bounced' | 'failed';
export type OutboxKind = 'report_ready' | 'access_request' | 'invitation';

export interface OutboxRow {
  id: string;
  job_id: string | null;
  kind: OutboxKind;
  recipient: string;
  payload: string;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  message_id: string | null;
  last_error: string | null;
  bounce_reason: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
  bounced_at: number | null;
}

const INSERT = `INSERT INTO notification_outbox (id, job_id, kind, recipient, payload, status, next_attempt_at, created_at, updated_at)`;

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
      .prepare(`${INSERT} SELECT ?, ?, 'report_ready', ?, '{}', 'queued', ?, ?, ? WHERE ${CLAIM_HELD}`)
      .bind(newId(now), jobId, recipient, now, now, now, jobId, token),
  );
}

interface NewNotification {
  job_id: string | null;
  kind: OutboxKind;
  recipient: string;
  payload?: Record<string, unknown>;
  now: number;
}

/** A notification that is not tied to the runner: a resend, an access request, an invitation. */
export function insertNotificationStatement(db: D1Database, row: NewNotification): D1PreparedStatement {
  const part = insertNotificationPart(row);
  return db.prepare(part.sql).bind(...part.values);
}

/** The same as SQL and values, for the operator command too (db/sql.ts). */
export function insertNotificationPart(row: NewNotification): SqlPart {
  return {
    sql: `${INSERT} VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    values: [newId(row.now), row.job_id, row.kind, row.recipient, JSON.stringify(row.payload ?? {}), row.now, row.now, row.now],
  };
}

/**
 * The email to one admin about an access request, written only if that request was recorded: run
 * it in the batch that records the request (db/access-requests.ts).
 */
export function insertAccessRequestEmailStatement(
  db: D1Database,
  row: { accessRequestId: string; recipient: string; payload: Record<string, unknown>; now: number },
): D1PreparedStatement {
  return db
    .prepare(
      `${INSERT} SELECT ?, NULL, 'access_request', ?, ?, 'queued', ?, ?, ?
        WHERE EXISTS (SELECT 1 FROM access_requests WHERE id = ?)`,
    )
    .bind(newId(row.now), row.recipient, JSON.stringify(row.payload), row.now, row.now, row.now, row.accessRequestId);
}

export async function listDueNotifications(db: D1Database, now: number, limit = 50): Promise<OutboxRow[]> {
  return allRows<OutboxRow>(
    db,
    "SELECT * FROM notification_outbox WHERE status = 'queued' AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?",
    now,
    limit,
  );
}

/**
 * Take a due row for one dispatcher: the attempt is counted and the next attempt pushed out
 * before the email is sent, so two overlapping cron runs never send the same row.
 */
export function claimNotification(db: D1Database, row: OutboxRow, now: number, retryAt: number): Promise<OutboxRow | null> {
  return db
    .prepare(
      `UPDATE notification_outbox SET attempts = attempts + 1, next_attempt_at = ?, updated_at = ?
        WHERE id = ? AND status = 'queued' AND attempts = ? RETURNING *`,
    )
    .bind(retryAt, now, row.id, row.attempts)
    .first<OutboxRow>();
}

export async function markNotificationSent(db: D1Database, id: string, messageId: string, now: number): Promise<void> {
  await db
    .prepare(
      "UPDATE notification_outbox SET status = 'sent', message_id = ?, sent_at = ?, updated_at = ?, last_error = NULL WHERE id = ?",
    )
    .bind(messageId, now, now, id)
    .run();
}

export async function markNotificationAttemptFailed(
  db: D1Database,
  id: string,
  error: string,
  final: boolean,
  now: number,
): Promise<void> {
  await db
    .prepare('UPDATE notification_outbox SET status = ?, last_error = ?, updated_at = ? WHERE id = ?')
    .bind(final ? 'failed' : 'queued', error.slice(0, 500), now, id)
    .run();
}

/**
 * A bounce report for a message we sent, applied only when it names the message's own recipient.
 * Returns the row, or null when the message is unknown or the recipient is not its own.
 */
export function markNotificationBounced(
  db: D1Database,
  bounce: { messageId: string; recipient: string; reason: string; now: number },
): Promise<OutboxRow | null> {
  return db
    .prepare(
      `UPDATE notification_outbox SET status = 'bounced', bounce_reason = ?, bounced_at = ?, updated_at = ?
        WHERE message_id = ? AND recipient = ? COLLATE NOCASE AND status IN ('sent', 'bounced') RETURNING *`,
    )
    .bind(bounce.reason.slice(0, 500), bounce.now, bounce.now, bounce.messageId, bounce.recipient)
    .first<OutboxRow>();
}

/** How many times a job's notification may be sent again per hour. */
export const RESENDS_PER_HOUR = 5;
const HOUR_MS = 3_600_000;

/**
 * "Send the notification again": one resend row, admitted only while the job has had fewer than
 * RESENDS_PER_HOUR in the last hour (counted and inserted in one statement), and the outbox rows
 * only if it was admitted (same transaction). When refused, says when the oldest resend leaves the hour.
 */
export async function resendNotifications(
  db: D1Database,
  resend: { jobId: string; requestedBy: string; recipients: readonly string[]; now: number },
): Promise<{ admitted: true } | { admitted: false; retryAt: number }> {
  const { jobId, requestedBy, recipients, now } = resend;
  const id = newId(now);
  const [admitted] = await db.batch([
    db
      .prepare(
        `INSERT INTO notification_resends (id, job_id, requested_by, recipients, created_at)
         SELECT ?, ?, ?, ?, ?
          WHERE (SELECT COUNT(*) FROM notification_resends WHERE job_id = ? AND created_at > ?) < ?
         RETURNING id`,
      )
      .bind(id, jobId, requestedBy, recipients.length, now, jobId, now - HOUR_MS, RESENDS_PER_HOUR),
    ...recipients.map((recipient) =>
      db
        .prepare(
          `${INSERT} SELECT ?, ?, 'report_ready', ?, '{}', 'queued', ?, ?, ?
            WHERE EXISTS (SELECT 1 FROM notification_resends WHERE id = ?)`,
        )
        .bind(newId(now), jobId, recipient, now, now, now, id),
    ),
  ]);
  if ((admitted?.results.length ?? 0) > 0) return { admitted: true };
  const oldest = await db
    .prepare('SELECT MIN(created_at) AS at FROM notification_resends WHERE job_id = ? AND created_at > ?')
    .bind(jobId, now - HOUR_MS)
    .first<number | null>('at');
  return { admitted: false, retryAt: (oldest ?? now) + HOUR_MS };
}
