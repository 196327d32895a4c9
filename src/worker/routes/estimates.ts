// POST /v1/admin/events/:eventId/reports/estimate: what a report would come to (rows, file size)
// against its type's ceilings, so the form can say before submitting that it would fail.

import { z } from 'zod';
import { requireEventAccess } from '../auth/session';
import { artifactLimit, settings } from '../env';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { parseReportRequest } from '../reports/catalog';
import { estimateReport } from '../reports/estimate';
import { timeStyleOf } from '../reports/params';
import { ZonedClock } from '../time';
import { jsonBody } from '../validate';

export const estimateBody = z.strictObject({
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const estimateRoutes = new Routes();
estimateRoutes.use(requireEventAccess('reports:read'));
estimateRoutes.handle(
  defineRoute({
    method: 'post',
    path: '/',
    tags: ['Reports'],
    summary: 'What a report would come to',
    description:
      'Rows and file size of a report with these parameters, against its type’s ceilings, checked like a new job. A request past a ceiling can still be submitted; it would fail with the documented reason, never truncated.',
    auth: 'event',
    request: { body: jsonRequest(estimateBody, { type: 'orders', params: { format: 'csv' } }) },
    errors: [400],
    responses: {
      200: json(S.estimateResponse, {
        rows: 500_000,
        bytes: 55_912_000,
        max_bytes: 104_857_600,
        pdf_max_rows: 20_000,
        over_limit: false,
        warning: null,
      }),
    },
  }),
  async (c) => {
    const body = await jsonBody(c, estimateBody);
    const { type, params } = parseReportRequest(c.get('membership').role, body.type, body.params);
    const event = c.get('event');
    const ctx = {
      db: c.env.DB,
      job: { snapshot_at: c.get('now') },
      event,
      params,
      clock: new ZonedClock(event.time_zone, timeStyleOf(params)),
    };
    return c.json(await estimateReport(type, ctx, artifactLimit(settings(c.env), type.key)));
  },
);
