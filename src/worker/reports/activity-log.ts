// Activity log: what guests, staff and the system did around the event, oldest first.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { allRows } from '../db/sql';
import type { Where } from '../db/where';
import { commonParams, textParam, withDateRange } from './params';
import { afterCursor, askedFor, countIn, keysetPage, tableAsOf } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ action: textParam('Action') }));
type Params = z.infer<typeof params>;

interface Row {
  occurred_at: number;
  id: string;
  actor_name: string;
  actor_type: string;
  action: string;
  detail: string;
}

function where(ctx: ReportContext<Params>): Where {
  return askedFor(ctx, 'a', 'occurred_at', { 'a.action': ctx.params.action });
}

export const activityLog: ReportType<Params, Row> = {
  key: 'activity-log',
  name: 'Activity log',
  description: 'Registrations, RSVP changes, orders, check-ins and profile edits around the event, in time order.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Time', kind: 'datetime', width: 15, value: (r, ctx) => ctx.clock.format(r.occurred_at) },
    { header: 'Actor', width: 17, value: (r) => r.actor_name },
    { header: 'Actor type', width: 7, value: (r) => r.actor_type },
    { header: 'Action', width: 13, value: (r) => r.action },
    { header: 'Details', width: 48, value: (r) => r.detail },
  ],
  dateField: 'Activity date',

  async estimateRows(ctx) {
    return countIn(ctx.db, tableAsOf(ctx, 'activity_log', 'a', 'a.id', where(ctx)));
  },

  async readChunk(ctx, cursor, limit) {
    const w = afterCursor(where(ctx), 'a.occurred_at, a.id', cursor);
    // As it was at the snapshot (db/versions.ts).
    const log = tableAsOf(ctx, 'activity_log', 'a', 'a.occurred_at, a.id, a.actor_name, a.actor_type, a.action, a.detail', w);
    const rows = await allRows<Row>(
      ctx.db,
      `SELECT occurred_at, id, actor_name, actor_type, action, detail FROM (${log.sql}) ORDER BY occurred_at, id LIMIT ?`,
      ...log.values,
      limit,
    );
    return keysetPage(rows, limit, (r) => [r.occurred_at, r.id]);
  },

  fieldOptions: async (db, event) => ({ action: await distinctValues(db, 'activity_log', 'action', event.id) }),
};
