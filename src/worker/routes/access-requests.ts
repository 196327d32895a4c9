import { z } from 'zod';
import { requireUser } from '../auth/session';
import { listWorkspaceAdminEmails, recordAccessRequestStatement } from '../db/access-requests';
import { insertAccessRequestEmailStatement } from '../db/outbox';
import { findEventForMember } from '../db/users';
import { notFound } from '../errors';
import { newId } from '../ids';
import { log } from '../log';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { findReportType } from '../reports/catalog';
import { jsonBody } from '../validate';

export const accessRequestBody = z.strictObject({
  event_id: z.string().regex(/^[a-z0-9]{1,64}$/),
  report_type: z.string().min(1).max(64),
});

/** A request stays open this long: asking again meanwhile records nothing and emails no one. */
export const ACCESS_REQUEST_OPEN_MS = 7 * 86_400_000;

/**
 * "Request access" on the permission gate: recorded, and every workspace admin gets an email; once
 * per (person, type, event) while a request is open.
 */
export const accessRequestRoutes = new Routes().handle(
  defineRoute({
    method: 'post',
    path: '/',
    tags: ['Reports'],
    summary: 'Ask the workspace admins for access to a report',
    description:
      'Once per person, report type and event while a request is open (7 days): asking again answers 200 and emails no one.',
    auth: 'session',
    middleware: [requireUser],
    request: { body: jsonRequest(accessRequestBody, { event_id: 'evacmesummit', report_type: 'orders' }) },
    errors: [400, 404],
    responses: {
      200: json(
        S.okMessage,
        { ok: true, message: 'You already asked for access to the Audit log report; the workspace admins have your request.' },
        'Already asked: nothing recorded, no email.',
      ),
      201: json(
        S.okMessage,
        { ok: true, message: 'Your request was sent to 1 workspace admin.' },
        'Recorded; admins are emailed.',
      ),
    },
  }),
  async (c) => {
    const input = await jsonBody(c, accessRequestBody);
    const user = c.get('user');
    const found = await findEventForMember(c.env.DB, user.id, input.event_id);
    const type = findReportType(input.report_type);
    if (!found) throw notFound('Event not found.');
    const { event, membership } = found;
    if (!type) throw notFound('No such report type.');
    const admins = await listWorkspaceAdminEmails(c.env.DB, event.workspace_id);
    const now = c.get('now');
    const payload = {
      requesterName: user.name,
      requesterEmail: user.email,
      reportName: type.name,
      workspaceName: membership.workspace_name,
      eventName: event.name,
    };
    const id = newId(now);
    // Recorded only while no request of this person for this type and event is open, and the admins
    // emailed only if it was recorded: one transaction, so parallel clicks make one request.
    const [recorded] = await c.env.DB.batch([
      recordAccessRequestStatement(
        c.env.DB,
        { id, workspace_id: event.workspace_id, event_id: event.id, user_id: user.id, report_type: type.key, created_at: now },
        now - ACCESS_REQUEST_OPEN_MS,
      ),
      ...admins.map((recipient) => insertAccessRequestEmailStatement(c.env.DB, { accessRequestId: id, recipient, payload, now })),
    ]);
    if ((recorded?.results.length ?? 0) === 0) {
      log('info', 'access_request.duplicate', { user_id: user.id, workspace_id: event.workspace_id, report_type: type.key });
      return c.json(
        {
          ok: true,
          message: `You already asked for access to the ${type.name} report; the workspace admins have your request.`,
        },
        200,
      );
    }
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
  },
);
