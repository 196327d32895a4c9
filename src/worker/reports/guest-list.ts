import { z } from 'zod';
import { nextDate } from '../time';
import { commonParams, withDateRange } from './params';
import { countRows } from './query';
import type { ReportContext, ReportType } from './types';

const RSVP = ['attending', 'maybe', 'declined', 'invited'] as const;

const params = withDateRange(
  commonParams.extend({
    rsvp_status: z.array(z.enum(RSVP)).min(1).max(RSVP.length).optional().meta({ title: 'RSVP status' }),
  }),
);
type Params = z.infer<typeof params>;

type Row = [string, string, string, string, string, string, string, number, number | null];

const COLUMNS = 'last_name, first_name, id, email, company, ticket_type, rsvp_status, registered_at, checked_in_at';

function filters(ctx: ReportContext<Params>): { sql: string; values: unknown[] } {
  const { params: p, clock } = ctx;
  let sql = 'event_id = ? AND created_at <= ?';
  const values: unknown[] = [ctx.event.id, ctx.job.snapshot_at];
  if (p.date_from) {
    sql += ' AND registered_at >= ?';
    values.push(clock.startOfDay(p.date_from));
  }
  if (p.date_to) {
    sql += ' AND registered_at < ?';
    values.push(clock.startOfDay(nextDate(p.date_to)));
  }
  if (p.rsvp_status) {
    sql += ` AND rsvp_status IN (${p.rsvp_status.map(() => '?').join(', ')})`;
    values.push(...p.rsvp_status);
  }
  return { sql, values };
}

export const guestList: ReportType<Params> = {
  key: 'guest-list',
  name: 'Guest list summary',
  description: 'Every guest with contact details, ticket, RSVP status, registration and check-in time.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: ['Last name', 'First name', 'Email', 'Company', 'Ticket type', 'RSVP status', 'Registered at', 'Checked in at'],
  dateField: 'Registration date',
  columnKinds: ['text', 'text', 'text', 'text', 'text', 'text', 'datetime', 'datetime'],
  columnWidths: [10, 10, 18, 16, 10, 7, 14, 14],

  async estimateRows(ctx) {
    const f = filters(ctx);
    return countRows(ctx.db, `SELECT COUNT(*) AS n FROM guests WHERE ${f.sql}`, ...f.values);
  },

  async readChunk(ctx, cursor, limit) {
    const f = filters(ctx);
    let sql = f.sql;
    const values = [...f.values];
    if (cursor) {
      sql += ' AND (last_name, first_name, id) > (?, ?, ?)';
      values.push(...(JSON.parse(cursor) as [string, string, string]));
    }
    const snap = ctx.job.snapshot_at;
    // As the guests were at the snapshot: current rows nobody edited since, plus the versions that
    // were current then (migrations/0008). Each side is limited by its own index before the merge.
    // A check-in recorded after the snapshot did not exist when the report was asked for.
    const rows = await ctx.db
      .prepare(
        `SELECT last_name, first_name, id, email, company, ticket_type, rsvp_status, registered_at,
                CASE WHEN checked_in_at <= ? THEN checked_in_at END
           FROM (SELECT * FROM (SELECT ${COLUMNS} FROM guests
                                 WHERE ${sql} AND NOT EXISTS (SELECT 1 FROM guest_versions v
                                                               WHERE v.id = guests.id AND v.superseded_at > ?)
                                 ORDER BY last_name, first_name, id LIMIT ?)
                 UNION ALL
                 SELECT * FROM (SELECT ${COLUMNS} FROM guest_versions
                                 WHERE ${sql} AND valid_from <= ? AND superseded_at > ?
                                 ORDER BY last_name, first_name, id LIMIT ?))
          ORDER BY last_name, first_name, id LIMIT ?`,
      )
      .bind(snap, ...values, snap, limit, ...values, snap, snap, limit, limit)
      .raw<Row>();
    const last = rows[rows.length - 1];
    return {
      rows: rows.map((r) => [
        r[0],
        r[1],
        r[3],
        r[4],
        r[5],
        r[6],
        ctx.clock.format(r[7]),
        r[8] === null ? null : ctx.clock.format(r[8]),
      ]),
      cursor: rows.length === limit && last ? JSON.stringify([last[0], last[1], last[2]]) : null,
    };
  },
};
