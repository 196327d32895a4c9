import { bodyLimit } from 'hono/body-limit';
import { requireApiToken } from '../auth/api-token';
import { tokenExample } from '../openapi/examples';
import { defineRoute, json, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { apiReportRoutes } from './api-reports';
import { ingestRoutes } from './ingest';

/** A batch of 1,000 rows of the widest table is well under this. */
export const MAX_API_BODY_BYTES = 5 * 1024 * 1024;

/**
 * The token API: everything under /v1/api answers a workspace API token (Authorization: Bearer),
 * never a session cookie. Ingest of the platform's data, and report jobs.
 */
export const apiRoutes = new Routes();
apiRoutes.use(
  bodyLimit({
    maxSize: MAX_API_BODY_BYTES,
    onError: (c) =>
      c.json(
        {
          error: {
            code: 'body_too_large',
            message: `A request body may be at most ${MAX_API_BODY_BYTES / 1024 / 1024} MB; send smaller batches.`,
          },
        },
        413,
      ),
  }),
  requireApiToken,
);
apiRoutes.handle(
  defineRoute({
    method: 'get',
    path: '/token',
    tags: ['Ingest'],
    summary: 'The calling token',
    description: 'Which workspace and role a token has: the first call to make with a new token.',
    auth: 'token',
    responses: {
      200: json(S.tokenInfo, {
        id: tokenExample.id,
        name: tokenExample.name,
        role: 'admin',
        workspace_id: 'wsacme',
        workspace_name: 'Acme Events',
      }),
    },
  }),
  (c) => {
    const t = c.get('apiToken');
    return c.json({ id: t.id, name: t.name, role: t.role, workspace_id: t.workspace_id, workspace_name: t.workspace_name });
  },
);
apiRoutes.route('/events/:eventId/reports/jobs', apiReportRoutes);
apiRoutes.route('/events', ingestRoutes);
