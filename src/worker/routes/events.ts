import { Hono } from 'hono';
import { can } from '../auth/roles';
import { requireUser } from '../auth/session';
import { findEvent, listEventsForUser } from '../db/events';
import { findMembership } from '../db/users';
import { notFound } from '../errors';
import type { AppEnv } from '../hono';

export const eventRoutes = new Hono<AppEnv>()
  .get('/', requireUser, async (c) => {
    const events = await listEventsForUser(c.env.DB, c.get('user').id);
    return c.json({ data: events, page: 1, limit: events.length, total: events.length, hasMore: false });
  })
  .get('/:eventId', requireUser, async (c) => {
    const event = await findEvent(c.env.DB, c.req.param('eventId'));
    const membership = event ? await findMembership(c.env.DB, c.get('user').id, event.workspace_id) : null;
    if (!event || !membership) throw notFound('Event not found.');
    return c.json({
      ...event,
      workspace_name: membership.workspace_name,
      role: membership.role,
      can_read_reports: can(membership.role, 'reports:read'),
    });
  });
