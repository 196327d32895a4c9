// GET /v1/admin/events/:eventId/reports/recipients?type=<key>&q=<text>: the members a report of that
// type can be emailed to (members of the event's workspace who may read it), for the recipient
// picker that suggests them as one types. Only those addresses are accepted as notify_emails.

import { z } from 'zod';
import { can, rolesWith } from '../auth/roles';
import { requireEventAccess } from '../auth/session';
import { listRecipients } from '../db/users';
import { badRequest, forbidden } from '../errors';
import { defineRoute, json, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { findReportType } from '../reports/catalog';
import { queryOf } from '../validate';

export const recipientsQuery = z.strictObject({
  type: z.string().min(1).max(64),
  q: z.string().trim().max(254).default(''),
  limit: z.coerce.number().int().min(1).max(25).default(10),
});

export const recipientRoutes = new Routes();
recipientRoutes.use(requireEventAccess('reports:read'));
recipientRoutes.handle(
  defineRoute({
    method: 'get',
    path: '/',
    tags: ['Reports'],
    summary: 'Members a report can be emailed to',
    description:
      'Members of the event’s workspace who may read reports of `type`, whose email or name contains `q`: the only addresses `notify_emails` accepts. The recipient field suggests them as one types.',
    auth: 'event',
    request: { query: recipientsQuery },
    errors: [400],
    responses: { 200: json(S.recipientList, { data: [{ email: 'organizer@acme.test', name: 'Olivia Organizer' }] }) },
  }),
  async (c) => {
    const q = queryOf(c, recipientsQuery);
    const type = findReportType(q.type);
    if (!type) throw badRequest(`type: Unknown report type "${q.type}".`, 'unknown_report_type');
    if (!can(c.get('membership').role, type.permission)) {
      throw forbidden(`The ${type.name} report is available to workspace admins only. Ask an admin for access.`);
    }
    const data = await listRecipients(c.env.DB, c.get('event').workspace_id, rolesWith(type.permission), q.q, q.limit);
    return c.json({ data });
  },
);
