// Email deliverability: per campaign, how many emails were sent and what became of them: delivered,
// bounced, marked as spam (complained), opened. A message counts once per outcome however many
// events the provider sent for it. Rates are shares of the emails sent; the open rate is a share of
// those delivered.

import type { z } from 'zod';
import { distinctValues } from '../db/orders';
import { allRows } from '../db/sql';
import { commonParams, textParam, withDateRange } from './params';
import { askedFor, countIn, countText, pagedSummary, percent, shareText, sum, tableAsOf } from './query';
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
  const w = askedFor(ctx, 'm', 'sent_at', { 'm.campaign': ctx.params.campaign });
  const messages = tableAsOf(ctx, 'email_messages', 'm', 'm.id, m.campaign, m.sent_at', w);
  const events = tableAsOf(ctx, 'email_events', 'e', 'e.message_id, e.kind');
  // Messages and what happened to them, as they were at the snapshot (db/versions.ts).
  return allRows<Row>(
    ctx.db,
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
    ...events.values,
    ...messages.values,
  );
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
    return countIn(ctx.db, tableAsOf(ctx, 'email_messages', 'm', 'm.campaign'), 'DISTINCT campaign');
  },

  readChunk: pagedSummary(summary),

  totals(rows) {
    const sent = sum(rows, (r) => r.sent);
    const delivered = sum(rows, (r) => r.delivered);
    const bounced = sum(rows, (r) => r.bounced);
    const complained = sum(rows, (r) => r.complained);
    const opened = sum(rows, (r) => r.opened);
    return [
      { label: 'Emails sent', value: countText(sent) },
      { label: 'Delivered', value: `${countText(delivered)} (${shareText(delivered, sent)})` },
      { label: 'Bounced', value: `${countText(bounced)} (${shareText(bounced, sent)})` },
      { label: 'Spam complaints', value: `${countText(complained)} (${shareText(complained, sent)})` },
      { label: 'Opened', value: `${countText(opened)} (${shareText(opened, delivered)} of delivered)` },
    ];
  },

  fieldOptions: async (db, event) => ({ campaign: await distinctValues(db, 'email_messages', 'campaign', event.id) }),
};
