import { Hono } from 'hono';
import { can } from '../auth/roles';
import { requireUser } from '../auth/session';
import { listEventsForUser } from '../db/events';
import { findEventForMember } from '../db/users';
import { notFound } from '../errors';
import type { AppEnv } from '../hono';

export const eventRoutes = new Hono<AppEnv>()
  .get('/', requireUser, async (c) => {
    const events = await listEventsForUser(c.env.DB, c.get('user').id);
    return c.json({ data: events, page: 1, limit: events.length, total: events.length, hasMore: false });
  })
  .get('/:eventId', requireUser, async (c) => {
    const found = await findEventForMember(c.env.DB, c.get('user').id, c.req.param('eventId'));
    if (!found) throw notFound('Event not found.');
    const { event, membership } = found;
    return c.json({
      ...event,
      workspace_name: membership.workspace_name,
      role: membership.role,
      can_read_reports: can(membership.role, 'reports:read'),
    });
  });
