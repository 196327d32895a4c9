// Audit log (admins only): who changed what about the event, including who downloaded its reports.
// Entries written with the event (migration 0004) and report downloads, which name the job.

import type { z } from 'zod';
import { allRows, countRows } from '../db/sql';
import { Where } from '../db/where';
import { commonParams, textParam, withDateRange } from './params';
import { addDateRange, afterCursor, keysetPage } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ action: textParam('Action') }));
type Params = z.infer<typeof params>;

interface Row {
  created_at: number;
  id: string;
  actor_name: string | null;
  actor_email: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: string;
}

function where(ctx: ReportContext<Params>): Where {
  const w = new Where()
    .add('a.workspace_id = ?', ctx.event.workspace_id)
    // Entries are never rewritten or removed (migration 0009), so the entries made by the snapshot
    // are the log as it was then.
    .add('a.created_at <= ?', ctx.job.snapshot_at)
    .add(
      // The event's own entries, its reports (requested, downloaded), and the workspace's sign-ins.
      `(a.event_id = ? OR (a.event_id IS NULL AND a.subject_type = 'event_report_job'
          AND a.subject_id IN (SELECT id FROM event_report_jobs WHERE event_id = ?))
        OR (a.event_id IS NULL AND a.action = 'user.signed_in'))`,
      ctx.event.id,
      ctx.event.id,
    );
  addDateRange(w, 'a.created_at', ctx);
  if (ctx.params.action) w.add('a.action = ?', ctx.params.action);
  return w;
}

export const auditLog: ReportType<Params, Row> = {
  key: 'audit-log',
  name: 'Audit log',
  description:
    'Administrative changes to the event, who asked for and downloaded its reports, and sign-ins to the workspace. Workspace admins only.',
  permission: 'reports:admin',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Time', kind: 'datetime', width: 14, value: (r, ctx) => ctx.clock.format(r.created_at) },
    { header: 'Actor', width: 11, value: (r) => r.actor_name ?? 'System' },
    { header: 'Actor email', width: 15, value: (r) => r.actor_email ?? '' },
    { header: 'Action', width: 12, value: (r) => r.action },
    { header: 'Subject type', width: 10, value: (r) => r.subject_type },
    { header: 'Subject id', width: 12, value: (r) => r.subject_id },
    { header: 'Details', width: 26, value: (r) => r.detail },
  ],
  dateField: 'Date',

  async estimateRows(ctx) {
    const w = where(ctx);
    return countRows(ctx.db, `SELECT COUNT(*) AS n FROM audit_log a WHERE ${w.sql}`, ...w.values);
  },

  async readChunk(ctx, cursor, limit) {
    const w = afterCursor(where(ctx), 'a.created_at, a.id', cursor);
    const rows = await allRows<Row>(
      ctx.db,
      `SELECT a.created_at, a.id, u.name AS actor_name, u.email AS actor_email, a.action, a.subject_type, a.subject_id, a.detail
           FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id
          WHERE ${w.sql} ORDER BY a.created_at, a.id LIMIT ?`,
      ...w.values,
      limit,
    );
    return keysetPage(rows, limit, (r) => [r.created_at, r.id]);
  },

  async fieldOptions(db, event) {
    const rows = await allRows<{ action: string }>(
      db,
      `SELECT DISTINCT action FROM audit_log WHERE workspace_id = ? AND event_id = ?
       UNION SELECT 'report.requested' UNION SELECT 'report.downloaded' UNION SELECT 'user.signed_in'
       ORDER BY action LIMIT 200`,
      event.workspace_id,
      event.id,
    );
    return { action: rows.map((r) => ({ value: r.action, label: r.action })) };
  },
};
