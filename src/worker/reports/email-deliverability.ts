// Email deliverability: per campaign, how many emails were sent and what became of them: delivered,
// bounced, marked as spam (complained), opened. A message counts once per outcome however many
// events the provider sent for it. Rates are shares of the emails sent; the open rate is a share of
// those delivered.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { asOf } from '../db/versions';
import { Where } from '../db/where';
import { commonParams, textParam, withDateRange } from './params';
import { addDateRange, countIn, pageOf, percent, snapshotOf, sum } from './query';
import type { ReportContext, ReportType } from './types';

const params = withDateRange(commonParams.extend({ campaign: textParam('Campaign') }));
type Params = z.infer<typeof params>;

interface Row {
  campaign: string;
  first_sent: number;
  sent: number;
  delivered: number;
  bounced: number;
  complained: number;
  opened: number;
}

async function summary(ctx: ReportContext<Params>): Promise<Row[]> {
  const w = new Where().add('m.event_id = ?', ctx.event.id);
  addDateRange(w, 'm.sent_at', ctx);
  if (ctx.params.campaign) w.add('m.campaign = ?', ctx.params.campaign);
  const messages = asOf('email_messages', 'm', 'm.id, m.campaign, m.sent_at', w, snapshotOf(ctx));
  const events = asOf(
    'email_events',
    'e',
    'e.message_id, e.kind',
    new Where().add('e.event_id = ?', ctx.event.id),
    snapshotOf(ctx),
  );
  // Messages and what happened to them, as they were at the snapshot (db/versions.ts).
  const rows = await ctx.db
    .prepare(
      `WITH outcome AS (
         SELECT message_id, MAX(kind = 'delivered') AS delivered, MAX(kind = 'bounced') AS bounced,
                MAX(kind = 'complained') AS complained, MAX(kind = 'opened') AS opened
           FROM (${events.sql})
          GROUP BY message_id)
       SELECT m.campaign, MIN(m.sent_at) AS first_sent, COUNT(*) AS sent, COALESCE(SUM(o.delivered), 0) AS delivered,
              COALESCE(SUM(o.bounced), 0) AS bounced, COALESCE(SUM(o.complained), 0) AS complained,
              COALESCE(SUM(o.opened), 0) AS opened
         FROM (${messages.sql}) AS m LEFT JOIN outcome o ON o.message_id = m.id
        GROUP BY m.campaign
        ORDER BY MIN(m.sent_at), m.campaign`,
    )
    .bind(...events.values, ...messages.values)
    .all<Row>();
  return rows.results;
}

export const emailDeliverability: ReportType<Params, Row> = {
  key: 'email-deliverability',
  name: 'Email deliverability',
  description: 'Per campaign: emails sent, delivered, bounced, spam complaints and opens, with rates.',
  permission: 'reports:read',
  formats: ['csv', 'pdf'],
  params,
  columns: [
    { header: 'Campaign', width: 18, value: (r) => r.campaign },
    { header: 'First sent at', kind: 'datetime', width: 14, value: (r, ctx) => ctx.clock.format(r.first_sent) },
    { header: 'Sent', kind: 'integer', width: 7, value: (r) => r.sent },
    { header: 'Delivered', kind: 'integer', width: 7, value: (r) => r.delivered },
    { header: 'Bounced', kind: 'integer', width: 7, value: (r) => r.bounced },
    { header: 'Complaints', kind: 'integer', width: 7, value: (r) => r.complained },
    { header: 'Opened', kind: 'integer', width: 7, value: (r) => r.opened },
    { header: 'Delivery rate (%)', kind: 'percent', width: 8, value: (r) => percent(r.delivered, r.sent) },
    { header: 'Bounce rate (%)', kind: 'percent', width: 8, value: (r) => percent(r.bounced, r.sent) },
    { header: 'Complaint rate (%)', kind: 'percent', width: 8, value: (r) => percent(r.complained, r.sent) },
    { header: 'Open rate (%)', kind: 'percent', width: 8, value: (r) => percent(r.opened, r.delivered) },
  ],
  dateField: 'Send date',

  async estimateRows(ctx) {
    const messages = asOf('email_messages', 'm', 'm.campaign', new Where().add('m.event_id = ?', ctx.event.id), snapshotOf(ctx));
    return countIn(ctx.db, messages, 'DISTINCT campaign');
  },

  async readChunk(ctx, cursor, limit) {
    return pageOf(await summary(ctx), cursor, limit);
  },

  totals(rows) {
    const sent = sum(rows, (r) => r.sent);
    const delivered = sum(rows, (r) => r.delivered);
    const bounced = sum(rows, (r) => r.bounced);
    const complained = sum(rows, (r) => r.complained);
    const opened = sum(rows, (r) => r.opened);
    const rate = (part: number, whole: number) => {
      const p = percent(part, whole);
      return p === null ? '—' : `${p}%`;
    };
    return [
      { label: 'Emails sent', value: sent.toLocaleString('en-US') },
      { label: 'Delivered', value: `${delivered.toLocaleString('en-US')} (${rate(delivered, sent)})` },
      { label: 'Bounced', value: `${bounced.toLocaleString('en-US')} (${rate(bounced, sent)})` },
      { label: 'Spam complaints', value: `${complained.toLocaleString('en-US')} (${rate(complained, sent)})` },
      { label: 'Opened', value: `${opened.toLocaleString('en-US')} (${rate(opened, delivered)} of delivered)` },
    ];
  },

  fieldOptions: async (db, event) => ({ campaign: await distinctValues(db, 'email_messages', 'campaign', event.id) }),
};
