import { can } from '../auth/roles';
import { requireUser } from '../auth/session';
import { listEventsForUser } from '../db/events';
import { findEventForMember } from '../db/users';
import { notFound } from '../errors';
import { eventExample } from '../openapi/examples';
import { defineRoute, json, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';

export const eventRoutes = new Routes()
  .handle(
    defineRoute({
      method: 'get',
      path: '/',
      tags: ['Events'],
      summary: 'Events of every workspace the user belongs to',
      auth: 'session',
      middleware: [requireUser],
      responses: {
        200: json(S.eventList, {
          data: [{ ...eventExample, workspace_name: 'Acme Events' }],
          page: 1,
          limit: 1,
          total: 1,
          hasMore: false,
        }),
      },
    }),
    async (c) => {
      const events = await listEventsForUser(c.env.DB, c.get('user').id);
      return c.json({ data: events, page: 1, limit: events.length, total: events.length, hasMore: false });
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/{eventId}',
      tags: ['Events'],
      summary: 'One event, with the caller’s role in its workspace',
      auth: 'session',
      middleware: [requireUser],
      errors: [404],
      responses: {
        200: json(S.eventDetail, {
          ...eventExample,
          workspace_name: 'Acme Events',
          role: 'admin',
          can_read_reports: true,
          can_export_orders: true,
        }),
      },
    }),
    async (c) => {
      const found = await findEventForMember(c.env.DB, c.get('user').id, c.req.param('eventId') ?? '');
      if (!found) throw notFound('Event not found.');
      const { event, membership } = found;
      return c.json({
        ...event,
        workspace_name: membership.workspace_name,
        role: membership.role,
        can_read_reports: can(membership.role, 'reports:read'),
        // The orders page offers Export only to those the export route admits (auth/roles.ts).
        can_export_orders: can(membership.role, 'orders:export'),
      });
    },
  );
