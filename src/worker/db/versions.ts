// Source rows as they were when a report was asked for. D1 cannot hold one read snapshot across
// the many queries of a job, so every UPDATE or DELETE of a source table keeps the row as it was in
// `<table>_versions`, valid from `valid_from` until `superseded_at` (triggers in migrations 0008 and
// 0009). A table as it was at instant S is then: the current rows created by S that nobody changed
// after S, plus the versions that were current at S.

import type { SqlFragment } from './where';

/** Each source table a report reads and the table its earlier versions are kept in. */
export const VERSIONS_OF = {
  guests: 'guest_versions',
  orders: 'orders_versions',
  order_items: 'order_items_versions',
  ticket_types: 'ticket_types_versions',
  ticket_blocks: 'ticket_blocks_versions',
  check_ins: 'check_ins_versions',
  sponsors: 'sponsors_versions',
  sponsor_leads: 'sponsor_leads_versions',
  email_messages: 'email_messages_versions',
  email_events: 'email_events_versions',
  activity_log: 'activity_log_versions',
} as const;
export type SourceTable = keyof typeof VERSIONS_OF;

/**
 * Versions stay this long after they were superseded even when no job needs them: a direct orders
 * export link carries its snapshot and is honoured for half of this (routes/orders.ts), so its
 * download reads the rows as they were when the organizer clicked, however slowly it streams.
 */
export const VERSION_RETENTION_MS = 24 * 3_600_000;

/** What a report reads as of: one event's rows at the instant `at`. */
export interface Snapshot {
  eventId: string;
  at: number;
}

/** SQL and the values of its `?`s, in order (db/where.ts's fragment). */
export type SqlPart = SqlFragment;

/**
 * The rows of `table` matching `where`, as they were at the snapshot, as a compound SELECT to use
 * as a subquery: `FROM (${part.sql}) AS alias`. `columns` and `where` (a reports/query Where) name
 * the table `alias`; both are written into the two halves, so each half is narrowed by its own
 * index (and, under an outer ORDER BY … LIMIT, SQLite merges two index-ordered walks instead of
 * sorting everything).
 *
 * Usually nothing of the event changed since the snapshot: then its current rows created by then
 * are the rows at the snapshot, and the per-row "changed since?" probe is skipped. That condition is
 * one indexed look per statement (SQLite runs an uncorrelated subquery once), read in the same
 * statement as the rows, so an edit can never fall between the two. It took the probe's cost (about
 * a fifth of the 500k-order export's query) off every report of an unedited event.
 */
export function asOf(table: SourceTable, alias: string, columns: string, where: SqlPart, snapshot: Snapshot): SqlPart {
  const versions = VERSIONS_OF[table];
  const S = snapshot.at;
  const current = `SELECT ${columns} FROM ${table} AS ${alias}
     WHERE ${where.sql} AND ${alias}.created_at <= ?
       AND (NOT EXISTS (SELECT 1 FROM ${versions} WHERE event_id = ? AND superseded_at > ?)
            OR NOT EXISTS (SELECT 1 FROM ${versions} AS later WHERE later.id = ${alias}.id AND later.superseded_at > ?))`;
  // valid_from is never before the row's created_at, so it also keeps out rows created after S.
  const then = `SELECT ${columns} FROM ${versions} AS ${alias}
     WHERE ${where.sql} AND ${alias}.valid_from <= ? AND ${alias}.superseded_at > ?`;
  return {
    sql: `${current}\n     UNION ALL\n     ${then}`,
    values: [...where.values, S, snapshot.eventId, S, S, ...where.values, S, S],
  };
}

/**
 * Drops versions no job can read any more: superseded before the oldest snapshot of a job still
 * queued or running, and before the retention window. A retry or re-run takes a new snapshot, so a
 * finished job needs nothing kept.
 */
export async function pruneRowVersions(db: D1Database, now: number): Promise<{ pruned: number }> {
  const oldest = await db
    .prepare("SELECT MIN(snapshot_at) AS s FROM event_report_jobs WHERE status IN ('queued', 'running')")
    .first<{ s: number | null }>();
  const cutoff = Math.min(now - VERSION_RETENTION_MS, oldest?.s ?? Number.POSITIVE_INFINITY);
  const results = await db.batch(
    Object.values(VERSIONS_OF).map((versions) => db.prepare(`DELETE FROM ${versions} WHERE superseded_at < ?`).bind(cutoff)),
  );
  return { pruned: results.reduce((sum, r) => sum + (r.meta.changes ?? 0), 0) };
}
