import { OpenAPIHono } from '@hono/zod-openapi';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { serverNow } from './clock';
import { ApiError } from './errors';
import type { AppEnv } from './hono';
import { errorFields, log } from './log';
import { renderStatePage, wantsHtml } from './pages';
import { accessRequestRoutes } from './routes/access-requests';
import { apiRoutes } from './routes/api';
import { authRoutes, meRoutes } from './routes/auth';
import { catalogRoutes } from './routes/catalog';
import { devRoutes } from './routes/dev';
import { downloadRoutes } from './routes/downloads';
import { estimateRoutes } from './routes/estimates';
import { eventRoutes } from './routes/events';
import { invitationRoutes } from './routes/invitations';
import { jobRoutes } from './routes/jobs';
import { metricsRoutes, opsOverviewRoutes } from './routes/metrics';
import { referenceRoutes } from './routes/openapi';
import { opsRoutes } from './routes/ops';
import { orderRoutes } from './routes/orders';
import { recipientRoutes } from './routes/recipients';
import { webhookRoutes } from './routes/webhooks';
import { workspaceRoutes } from './routes/workspaces';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// OpenAPIHono: a Hono app that also merges the OpenAPI registries of the sub-apps it mounts, so the
// document (GET /v1/openapi.json) is collected from the routes themselves (openapi/route.ts).
export const app = new OpenAPIHono<AppEnv>();

app.use('/v1/*', async (c, next) => {
  c.set('now', await serverNow(c.env));
  await next();
});

app.use(
  '/v1/*',
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      styleSrc: ["'unsafe-inline'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
    },
    // Signed URLs carry their signature in the query: it never leaves for another origin.
    referrerPolicy: 'same-origin',
  }),
);

// Cross-site request forgery: the session cookie is SameSite=Lax, and on top of that a mutating
// request must come from our own origin. Browsers send Origin on every POST; it is "null" for a
// form posted from a page whose referrer policy hides it, and then Sec-Fetch-Site must say
// same-origin. Server-to-server callers (the email webhook) send neither and sign their bodies.
app.use('/v1/*', async (c, next) => {
  if (!SAFE_METHODS.has(c.req.method)) {
    const origin = c.req.header('origin');
    const site = c.req.header('sec-fetch-site');
    const self = new URL(c.req.url).origin;
    const foreign =
      site === 'cross-site' ||
      site === 'same-site' ||
      (origin !== undefined && origin !== self && !(origin === 'null' && site === 'same-origin'));
    if (foreign) {
      // A form posted from another site's page: a browser gets a Voyage page, never raw JSON.
      if (wantsHtml(c)) {
        return c.html(
          renderStatePage({
            testId: 'cross-site-page',
            title: 'This form came from another site',
            message: 'For your safety, Voyage only accepts forms sent from its own pages. Open the report center and try again.',
          }),
          403,
        );
      }
      throw new ApiError(403, 'cross_site_request', 'Cross-site requests are not allowed.');
    }
  }
  await next();
});

app.route('/v1/auth', authRoutes);
app.route('/v1/me', meRoutes);
// Downloads first: they answer signed-out browsers with a sign-in redirect, not a 401.
app.route('/v1/admin/events/:eventId/reports/jobs', downloadRoutes);
app.route('/v1/admin/events/:eventId/reports/jobs', jobRoutes);
app.route('/v1/admin/events/:eventId/reports/catalog', catalogRoutes);
app.route('/v1/admin/events/:eventId/reports/estimate', estimateRoutes);
app.route('/v1/admin/events/:eventId/reports/recipients', recipientRoutes);
app.route('/v1/admin/events/:eventId/orders', orderRoutes);
app.route('/v1/admin/events', eventRoutes);
app.route('/v1/admin/ops', opsRoutes);
app.route('/v1/admin/ops', opsOverviewRoutes);
app.route('/v1/admin/metrics', metricsRoutes);
app.route('/v1', referenceRoutes(app));
app.route('/v1/admin/access-requests', accessRequestRoutes);
app.route('/v1/webhooks', webhookRoutes);
// Provisioning: accepting an invitation (public, by its link), workspace admin (API tokens), and
// the token API (ingest and report jobs, Authorization: Bearer).
app.route('/v1/invitations', invitationRoutes);
app.route('/v1/admin/workspaces', workspaceRoutes);
app.route('/v1/api', apiRoutes);

app.use('/v1/dev/*', async (c, next) => {
  if (c.env.APP_ENV !== 'development') return c.json({ error: { code: 'not_found', message: 'No such endpoint.' } }, 404);
  await next();
});
app.route('/v1/dev', devRoutes);

app.notFound((c) => c.json({ error: { code: 'not_found', message: 'No such endpoint.' } }, 404));

app.onError((err, c) => {
  if (err instanceof ApiError) return c.json({ error: { code: err.code, message: err.message } }, err.status);
  if (err instanceof HTTPException) {
    return c.json({ error: { code: 'http_error', message: err.message || 'Request refused.' } }, err.status);
  }
  log('error', 'request.failed', { method: c.req.method, path: new URL(c.req.url).pathname, ...errorFields(err) });
  return c.json({ error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } }, 500);
});
