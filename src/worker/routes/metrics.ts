import { createMiddleware } from 'hono/factory';
import { z } from 'zod';
import { currentUser, requireOperator, requireUser } from '../auth/session';
import { settings } from '../env';
import type { AppEnv } from '../hono';
import { log } from '../log';
import { collectMetrics } from '../metrics/collect';
import { EXPOSITION_CONTENT_TYPE, renderExposition } from '../metrics/exposition';
import { buildOverview } from '../metrics/overview';
import { metricsExample, overviewExample } from '../openapi/examples';
import { components, defineRoute, file, json, Routes } from '../openapi/route';
import { queryOf } from '../validate';

const encoder = new TextEncoder();

/** Compares digests, so neither the length nor a common prefix of the token leaks through timing. */
async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest('SHA-256', encoder.encode(given)),
    crypto.subtle.digest('SHA-256', encoder.encode(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}

const unauthorized = (code: string, message: string) => ({ error: { code, message } });

/**
 * A scraper sends `Authorization: Bearer <METRICS_TOKEN>`; a person may use an operator session.
 * A request that sends a bearer token is judged by it alone, so a wrong token is never rescued by
 * a cookie. Without METRICS_TOKEN configured, only operator sessions get in.
 */
const metricsAccess = createMiddleware<AppEnv>(async (c, next) => {
  const challenge = { 'www-authenticate': 'Bearer realm="voyage-reports-metrics"' };
  const header = c.req.header('authorization');
  if (header !== undefined) {
    const token = /^Bearer ([\x21-\x7e]+)$/i.exec(header.trim())?.[1];
    const expected = c.env.METRICS_TOKEN ?? '';
    if (!token || expected === '' || !(await sameSecret(token, expected))) {
      log('warn', 'metrics.denied', { reason: 'bad_token' });
      return c.json(unauthorized('invalid_token', 'The metrics token is missing or wrong.'), 401, challenge);
    }
    await next();
    return;
  }
  const found = await currentUser(c);
  if (!found) {
    return c.json(
      unauthorized('unauthenticated', 'Sign in as a platform operator, or send Authorization: Bearer <METRICS_TOKEN>.'),
      401,
      challenge,
    );
  }
  if (!found.user.is_operator) {
    log('warn', 'metrics.denied', { reason: 'not_operator', user_id: found.user.id });
    return c.json({ error: { code: 'forbidden', message: 'Only platform operators can read the metrics.' } }, 403);
  }
  await next();
});

/** GET /v1/admin/metrics: Prometheus text exposition 0.0.4, every figure derived from D1 at scrape time. */
export const metricsRoutes = new Routes().handle(
  defineRoute({
    method: 'get',
    path: '/',
    tags: ['Operations'],
    summary: 'Prometheus metrics',
    description:
      'Text exposition format 0.0.4. `Authorization: Bearer <METRICS_TOKEN>` (the scraper) or an operator session. A request with a bearer token is judged by the token alone.',
    auth: 'metrics',
    middleware: [metricsAccess],
    errors: [401, 403],
    responses: { 200: file('text/plain; version=0.0.4', 'The metrics.', metricsExample) },
  }),
  async (c) => {
    const text = renderExposition(await collectMetrics(c.env, c.get('now')));
    return c.body(text, 200, { 'content-type': EXPOSITION_CONTENT_TYPE, 'cache-control': 'no-store' });
  },
);

export const overviewQuery = z.strictObject({
  range: z.enum(['24h', '7d']).default('24h').describe('24h: hourly buckets; 7d: daily buckets (UTC).'),
});

/** GET /v1/admin/ops/overview: the dashboard's series, queue, recent failures and switches. */
export const opsOverviewRoutes = new Routes().handle(
  defineRoute({
    method: 'get',
    path: '/overview',
    tags: ['Operations'],
    summary: 'Dashboard figures over 24 hours or 7 days',
    description: 'Hourly or daily series, the current queue, recent failures and the switches, all derived from stored facts.',
    auth: 'operator',
    middleware: [requireUser, requireOperator],
    request: { query: overviewQuery },
    errors: [400],
    responses: { 200: json(components.OpsOverview, overviewExample) },
  }),
  async (c) => {
    const { range } = queryOf(c, overviewQuery);
    const now = c.get('now');
    return c.json(await buildOverview(c.env.DB, range, now, settings(c.env).stuckNoteMs), 200, { 'cache-control': 'no-store' });
  },
);
