import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../auth/session';
import { insertNotificationStatement } from '../db/outbox';
import { findEventForMember } from '../db/users';
import { notFound } from '../errors';
import type { AppEnv } from '../hono';
import { newId } from '../ids';
import { log } from '../log';
import { findReportType } from '../reports/catalog';
import { jsonBody } from '../validate';

export const accessRequestBody = z.strictObject({
  event_id: z.string().regex(/^[a-z0-9]{1,64}$/),
  report_type: z.string().min(1).max(64),
});

/** "Request access" on the permission gate: recorded, and every workspace admin gets an email. */
export const accessRequestRoutes = new Hono<AppEnv>().post('/', requireUser, async (c) => {
  const input = await jsonBody(c, accessRequestBody);
  const user = c.get('user');
  const found = await findEventForMember(c.env.DB, user.id, input.event_id);
  const type = findReportType(input.report_type);
  if (!found) throw notFound('Event not found.');
  const { event, membership } = found;
  if (!type) throw notFound('No such report type.');
  const { results: admins } = await c.env.DB.prepare(
    "SELECT u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = ? AND m.role = 'admin'",
  )
    .bind(event.workspace_id)
    .all<{ email: string }>();
  const now = c.get('now');
  const payload = {
    requesterName: user.name,
    requesterEmail: user.email,
    reportName: type.name,
    workspaceName: membership.workspace_name,
    eventName: event.name,
  };
  await c.env.DB.batch([
    c.env.DB.prepare(
      'INSERT INTO access_requests (id, workspace_id, event_id, user_id, report_type, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).bind(newId(now), event.workspace_id, event.id, user.id, type.key, now),
    ...admins.map((a) =>
      insertNotificationStatement(c.env.DB, { job_id: null, kind: 'access_request', recipient: a.email, payload, now }),
    ),
  ]);
  log('info', 'access_request.created', {
    user_id: user.id,
    workspace_id: event.workspace_id,
    report_type: type.key,
    admins: admins.length,
  });
  return c.json(
    { ok: true, message: `Your request was sent to ${admins.length} workspace admin${admins.length === 1 ? '' : 's'}.` },
    201,
  );
});
