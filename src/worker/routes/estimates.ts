// POST /v1/admin/events/:eventId/reports/estimate: what a report would come to (rows, file size)
// against its type's ceilings, so the form can say before submitting that it would fail.

import { Hono } from 'hono';
import { z } from 'zod';
import { requireEventAccess } from '../auth/session';
import { artifactLimit, settings } from '../env';
import type { AppEnv } from '../hono';
import { parseReportRequest } from '../reports/catalog';
import { estimateReport } from '../reports/estimate';
import { timeStyleOf } from '../reports/params';
import { ZonedClock } from '../time';
import { jsonBody } from '../validate';

export const estimateBody = z.strictObject({
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
});

export const estimateRoutes = new Hono<AppEnv>().use(requireEventAccess('reports:read')).post('/', async (c) => {
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
});
