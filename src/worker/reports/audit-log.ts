// Audit log (admins only): who changed what about the event, including who downloaded its reports.
// Entries written with the event (migration 0004) and report downloads, which name the job.

import type { z } from 'zod';
import { commonParams, textParam, withDateRange } from './params';
import { addDateRange, countRows, Where } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ action: textParam('Action') }));
type Params = z.infer<typeof params>;

type Row = [
  created_at: number,
  id: string,
  actor_name: string | null,
  actor_email: string | null,
  action: string,
  subject_type: string,
  subject_id: string,
  detail: string,
];

function where(ctx: ReportContext<Params>): Where {
  const w = new Where()
    .add('a.workspace_id = ?', ctx.event.workspace_id)
    // Entries are never rewritten or removed (migration 0009), so the entries made by the snapshot
    // are the log as it was then.
    .add('a.created_at <= ?', ctx.job.snapshot_at)
    .add(
      `(a.event_id = ? OR (a.event_id IS NULL AND a.subject_type = 'event_report_job'
          AND a.subject_id IN (SELECT id FROM event_report_jobs WHERE event_id = ?)))`,
      ctx.event.id,
      ctx.event.id,
    );
  addDateRange(w, 'a.created_at', ctx);
  if (ctx.params.action) w.add('a.action = ?', ctx.params.action);
  return w;
}

export const auditLog: ReportType<Params> = {
  key: 'audit-log',
  name: 'Audit log',
  description: 'Administrative changes to the event and who downloaded its reports. Workspace admins only.',
  permission: 'reports:admin',
  formats: ['csv', 'pdf'],
  params,
  columns: ['Time', 'Actor', 'Actor email', 'Action', 'Subject type', 'Subject id', 'Details'],
  dateField: 'Date',
  columnKinds: ['datetime', 'text', 'text', 'text', 'text', 'text', 'text'],
  columnWidths: [14, 11, 15, 12, 10, 12, 26],

  async estimateRows(ctx) {
    const w = where(ctx);
    return countRows(ctx.db, `SELECT COUNT(*) AS n FROM audit_log a WHERE ${w.sql}`, ...w.values);
  },

  async readChunk(ctx, cursor, limit) {
    const w = where(ctx);
    if (cursor) w.add('(a.created_at, a.id) > (?, ?)', ...(JSON.parse(cursor) as [number, string]));
    const rows = await ctx.db
      .prepare(
        `SELECT a.created_at, a.id, u.name, u.email, a.action, a.subject_type, a.subject_id, a.detail
           FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
          WHERE ${w.sql} ORDER BY a.created_at, a.id LIMIT ?`,
      )
      .bind(...w.values, limit)
      .raw<Row>();
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => [ctx.clock.format(r[0]), r[2] ?? 'System', r[3] ?? '', r[4], r[5], r[6], r[7]]),
      cursor: rows.length === limit && last ? JSON.stringify([last[0], last[1]]) : null,
    };
  },

  async fieldOptions(db, event) {
    const { results } = await db
      .prepare('SELECT DISTINCT action FROM audit_log WHERE workspace_id = ? AND event_id = ? ORDER BY action LIMIT 200')
      .bind(event.workspace_id, event.id)
      .all<{ action: string }>();
    return { action: results.map((r) => ({ value: r.action, label: r.action })) };
  },
};
