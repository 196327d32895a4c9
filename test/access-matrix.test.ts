import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../src/worker/app';
import { createApiTokenParts, newApiToken } from '../src/worker/db/api-tokens';
import { prepare } from '../src/worker/db/sql';
import { INGEST_TABLE_NAMES } from '../src/worker/ingest/tables';
import { runReportJob } from '../src/worker/jobs/runner';
import { downloadPath, signDownloadUrl } from '../src/worker/signing';
import { EVENT_ID, insertQueuedJob, login, request, seedFixture, USERS, type UserKey } from './helpers';

// Every route × every kind of caller, from one table; for the routes about one job, once for someone
// else's job and once for the caller's own. A route added to the app without a row here fails the
// first test, so access is decided on purpose, never by accident.

type Caller = 'admin' | 'organizer' | 'viewer' | 'staff' | 'signedOut' | 'otherWorkspace';
const CALLERS: Caller[] = ['admin', 'organizer', 'viewer', 'staff', 'signedOut', 'otherWorkspace'];
const LOGIN: Record<Exclude<Caller, 'signedOut'>, UserKey> = {
  admin: 'admin',
  organizer: 'organizer',
  viewer: 'viewer',
  staff: 'staff',
  otherWorkspace: 'globex',
};

interface Ctx {
  /** Jobs of `requester` (a user id): completed ones are shared, the others made afresh per request. */
  completedJobId: (requester: string) => Promise<string>;
  failedJobId: (requester: string) => Promise<string>;
  queuedJobId: (requester: string) => Promise<string>;
  /** A live API token of Acme's, made afresh. */
  apiTokenId: () => Promise<string>;
}

interface Row {
  /** Request details: path (with ids filled in) and body; `requester` asked for the job the route acts on. */
  make: (
    ctx: Ctx,
    caller: Caller,
    requester: string,
  ) => Promise<{ path: string; body?: unknown; headers?: Record<string, string> }>;
  /** The job (if the route is about one) was asked for by someone else: another organizer. */
  expect: Record<Caller, number>;
  /** Routes about one job: the caller asked for it. */
  expectOwnJob?: Record<Caller, number>;
}

/** Who asked for the jobs of `expect`: a member who is none of the callers. */
const SOMEONE_ELSE = USERS.organizer2.id;
const job = (jobId: string, suffix = '') => `/v1/admin/events/${EVENT_ID}/reports/jobs/${jobId}${suffix}`;
const jobs = () => `/v1/admin/events/${EVENT_ID}/reports/jobs`;
const reportAccess = (ok: number) => ({ admin: ok, organizer: ok, viewer: ok, staff: 403, signedOut: 401, otherWorkspace: 404 });
const operatorOnly = (ok: number) => ({
  admin: ok,
  organizer: 403,
  viewer: 403,
  staff: 403,
  signedOut: 401,
  otherWorkspace: 403,
});
const anyMember = (ok: number) => ({ admin: ok, organizer: ok, viewer: ok, staff: ok, signedOut: 401, otherWorkspace: ok });
const workspaceAdmin = (ok: number) => ({
  admin: ok,
  organizer: 403,
  viewer: 403,
  staff: 403,
  signedOut: 401,
  otherWorkspace: 404,
});

// The token API answers API tokens only: every session caller gets 401 (test/api-tokens.test.ts has
// the matrix by token role). Its routes, listed here so a new one cannot slip in unchecked.
const TOKEN_API: Record<string, Row> = Object.fromEntries(
  [
    'GET /v1/api/token',
    'PUT /v1/api/events',
    'POST /v1/api/events/delete',
    ...INGEST_TABLE_NAMES.flatMap((t) => [`PUT /v1/api/events/:eventId/${t}`, `POST /v1/api/events/:eventId/${t}/delete`]),
    'GET /v1/api/events/:eventId/reports/jobs',
    'POST /v1/api/events/:eventId/reports/jobs',
    'GET /v1/api/events/:eventId/reports/jobs/:jobId',
    'GET /v1/api/events/:eventId/reports/jobs/:jobId/download',
  ].map((route) => [
    route,
    {
      make: async (ctx: Ctx) => ({
        path: (route.split(' ')[1] ?? '')
          .replace(':eventId', EVENT_ID)
          .replace(':jobId', route.includes(':jobId') ? await ctx.completedJobId(SOMEONE_ELSE) : ''),
        body: route.startsWith('GET') ? undefined : { data: [] },
      }),
      expect: allCallers(401),
    },
  ]),
);

/** The orders export (the spec packet): admins and organizers; a read-only viewer is refused. */
const orderExporters = (ok: number) => ({ ...reportAccess(ok), viewer: 403 });
/** Cancel, retry, resend: the requester and workspace admins; other readers see the job but get 403. */
const requesterOrAdmin = (ok: number) => ({ ...reportAccess(403), admin: ok });

const MATRIX: Record<string, Row> = {
  'POST /v1/auth/login': {
    make: async () => ({ path: '/v1/auth/login', body: { email: 'viewer@acme.test', password: 'wrong' } }),
    expect: { admin: 401, organizer: 401, viewer: 401, staff: 401, signedOut: 401, otherWorkspace: 401 },
  },
  'GET /v1/auth/session': { make: async () => ({ path: '/v1/auth/session' }), expect: { ...anyMember(200), signedOut: 200 } },
  'POST /v1/auth/logout': {
    make: async () => ({ path: '/v1/auth/logout' }),
    expect: { admin: 204, organizer: 204, viewer: 204, staff: 204, signedOut: 204, otherWorkspace: 204 },
  },
  'GET /v1/me': { make: async () => ({ path: '/v1/me' }), expect: anyMember(200) },
  'GET /v1/admin/events': { make: async () => ({ path: '/v1/admin/events' }), expect: anyMember(200) },
  'GET /v1/admin/events/:eventId': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}` }),
    expect: { ...anyMember(200), otherWorkspace: 404 },
  },
  'GET /v1/admin/events/:eventId/reports/jobs': { make: async () => ({ path: jobs() }), expect: reportAccess(200) },
  'POST /v1/admin/events/:eventId/reports/jobs': {
    make: async () => ({ path: jobs(), body: { type: 'guest-list', params: { format: 'csv' } } }),
    expect: reportAccess(201),
  },
  'GET /v1/admin/events/:eventId/reports/jobs/:jobId': {
    make: async (ctx, _caller, requester) => ({ path: job(await ctx.completedJobId(requester)) }),
    expect: reportAccess(200),
    expectOwnJob: reportAccess(200),
  },
  'GET /v1/admin/events/:eventId/reports/jobs/:jobId/download': {
    make: async (ctx, _caller, requester) => ({
      path: await signDownloadUrl(
        'test-signing-secret-0123456789abcdef',
        downloadPath(EVENT_ID, await ctx.completedJobId(requester)),
        Math.floor(Date.now() / 1000) + 600,
      ),
    }),
    expect: reportAccess(200),
    expectOwnJob: reportAccess(200),
  },
  'POST /v1/admin/events/:eventId/reports/jobs/:jobId/cancel': {
    make: async (ctx, _caller, requester) => ({ path: job(await ctx.queuedJobId(requester), '/cancel') }),
    expect: requesterOrAdmin(200),
    expectOwnJob: reportAccess(200),
  },
  'POST /v1/admin/events/:eventId/reports/jobs/:jobId/retry': {
    make: async (ctx, _caller, requester) => ({ path: job(await ctx.failedJobId(requester), '/retry') }),
    expect: requesterOrAdmin(201),
    expectOwnJob: reportAccess(201),
  },
  'POST /v1/admin/events/:eventId/reports/jobs/:jobId/rerun': {
    make: async (ctx, _caller, requester) => ({ path: job(await ctx.completedJobId(requester), '/rerun') }),
    expect: reportAccess(201),
    expectOwnJob: reportAccess(201),
  },
  'POST /v1/admin/events/:eventId/reports/jobs/:jobId/resend-notification': {
    make: async (ctx, _caller, requester) => ({
      path: job(await ctx.completedJobId(requester), '/resend-notification'),
      body: { notify_emails: [USERS.admin.email] },
    }),
    expect: requesterOrAdmin(202),
    expectOwnJob: reportAccess(202),
  },
  'POST /v1/admin/events/:eventId/reports/jobs/:jobId/download-link': {
    make: async (ctx, _caller, requester) => ({ path: job(await ctx.completedJobId(requester), '/download-link') }),
    expect: reportAccess(200),
    expectOwnJob: reportAccess(200),
  },
  'GET /v1/admin/ops/settings': { make: async () => ({ path: '/v1/admin/ops/settings' }), expect: operatorOnly(200) },
  'PUT /v1/admin/ops/settings': {
    make: async () => ({ path: '/v1/admin/ops/settings', body: { runner_paused: false } }),
    expect: operatorOnly(200),
  },
  'POST /v1/admin/access-requests': {
    make: async () => ({ path: '/v1/admin/access-requests', body: { event_id: EVENT_ID, report_type: 'guest-list' } }),
    expect: { ...anyMember(201), otherWorkspace: 404 },
  },
  'POST /v1/webhooks/email-events': {
    make: async () => ({ path: '/v1/webhooks/email-events', body: { message_id: 'x', event: 'bounced', recipient: 'a@b.test' } }),
    expect: { admin: 401, organizer: 401, viewer: 401, staff: 401, signedOut: 401, otherWorkspace: 401 },
  },
  'GET /v1/admin/events/:eventId/reports/catalog': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}/reports/catalog` }),
    expect: reportAccess(200),
  },
  'POST /v1/admin/events/:eventId/reports/estimate': {
    make: async () => ({
      path: `/v1/admin/events/${EVENT_ID}/reports/estimate`,
      body: { type: 'guest-list', params: { format: 'csv' } },
    }),
    expect: reportAccess(200),
  },
  'GET /v1/admin/events/:eventId/reports/recipients': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}/reports/recipients?type=guest-list&q=acme` }),
    expect: reportAccess(200),
  },
  'GET /v1/admin/events/:eventId/orders': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}/orders` }),
    expect: reportAccess(200),
  },
  'GET /v1/admin/events/:eventId/orders/filters': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}/orders/filters` }),
    expect: reportAccess(200),
  },
  'POST /v1/admin/events/:eventId/orders/export': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}/orders/export`, body: {} }),
    expect: orderExporters(200),
  },
  'GET /v1/admin/events/:eventId/orders/export.csv': {
    make: async () => ({ path: `/v1/admin/events/${EVENT_ID}/orders/export.csv?snapshot_at=${Date.now()}` }),
    expect: orderExporters(200),
  },
  'GET /v1/admin/metrics': { make: async () => ({ path: '/v1/admin/metrics' }), expect: operatorOnly(200) },
  'GET /v1/admin/ops/overview': { make: async () => ({ path: '/v1/admin/ops/overview' }), expect: operatorOnly(200) },
  'GET /v1/openapi.json': { make: async () => ({ path: '/v1/openapi.json' }), expect: { ...anyMember(200), signedOut: 200 } },
  'GET /v1/docs': { make: async () => ({ path: '/v1/docs' }), expect: { ...anyMember(200), signedOut: 200 } },
  // Development-only routes answer 404 outside APP_ENV=development (the tests run as "test").
  'POST /v1/dev/cron': { make: async () => ({ path: '/v1/dev/cron' }), expect: allCallers(404) },
  'GET /v1/dev/clock': { make: async () => ({ path: '/v1/dev/clock' }), expect: allCallers(404) },
  'PUT /v1/dev/clock': { make: async () => ({ path: '/v1/dev/clock', body: { offset_ms: 0 } }), expect: allCallers(404) },
  'POST /v1/dev/signed-link': { make: async () => ({ path: '/v1/dev/signed-link', body: {} }), expect: allCallers(404) },
  'GET /v1/dev/outbox': { make: async () => ({ path: '/v1/dev/outbox' }), expect: allCallers(404) },
  // Invitations are public: the link's secret is the credential (a made-up one is not found).
  'POST /v1/invitations/inspect': {
    make: async () => ({ path: '/v1/invitations/inspect', body: { token: 'f'.repeat(64) } }),
    expect: allCallers(404),
  },
  'POST /v1/invitations/accept': {
    make: async () => ({
      path: '/v1/invitations/accept',
      body: { token: 'f'.repeat(64), name: 'X', password: 'long enough pw' },
    }),
    expect: allCallers(404),
  },
  'GET /v1/admin/workspaces/:workspaceId/api-tokens': {
    make: async () => ({ path: '/v1/admin/workspaces/wacme/api-tokens' }),
    expect: workspaceAdmin(200),
  },
  'POST /v1/admin/workspaces/:workspaceId/api-tokens': {
    make: async () => ({ path: '/v1/admin/workspaces/wacme/api-tokens', body: { name: 'Matrix', role: 'viewer' } }),
    expect: workspaceAdmin(201),
  },
  'POST /v1/admin/workspaces/:workspaceId/api-tokens/:tokenId/revoke': {
    make: async (ctx) => ({ path: `/v1/admin/workspaces/wacme/api-tokens/${await ctx.apiTokenId()}/revoke` }),
    expect: workspaceAdmin(200),
  },
  'GET /v1/admin/workspaces/:workspaceId/members': {
    make: async () => ({ path: '/v1/admin/workspaces/wacme/members' }),
    expect: workspaceAdmin(200),
  },
  'POST /v1/admin/workspaces/:workspaceId/invitations': {
    make: async () => ({ path: '/v1/admin/workspaces/wacme/invitations', body: { email: 'new@acme.test', role: 'viewer' } }),
    expect: workspaceAdmin(201),
  },
  ...TOKEN_API,
};

function allCallers(status: number): Record<Caller, number> {
  return { admin: status, organizer: status, viewer: status, staff: status, signedOut: status, otherWorkspace: status };
}

function appRoutes(): string[] {
  const seen = new Set<string>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // middleware
    seen.add(`${r.method} ${r.path}`);
  }
  return [...seen].sort();
}

let ctx: Ctx;
const cookies: Partial<Record<Caller, string>> = {};

beforeAll(async () => {
  await seedFixture(10);
  const completed = new Map<string, string>();
  const failed = async (requester: string) => {
    const queued = await insertQueuedJob({ requested_by: requester });
    await env.DB.prepare("UPDATE event_report_jobs SET status = 'failed', failure_code = 'internal' WHERE id = ?")
      .bind(queued.id)
      .run();
    return queued.id;
  };
  ctx = {
    completedJobId: async (requester) => {
      const known = completed.get(requester);
      if (known) return known;
      const queued = await insertQueuedJob({ requested_by: requester });
      await runReportJob(env, queued.id);
      completed.set(requester, queued.id);
      return queued.id;
    },
    // Each caller retries a failed job of their own, so one caller's retry does not answer another's.
    failedJobId: failed,
    queuedJobId: async (requester) => (await insertQueuedJob({ requested_by: requester })).id,
    apiTokenId: async () => {
      const now = Date.now();
      const fresh = await newApiToken(now);
      const parts = createApiTokenParts({
        id: fresh.id,
        workspace_id: 'wacme',
        name: 'Matrix',
        role: 'viewer',
        secretHash: fresh.secretHash,
        created_by: null,
        now,
      });
      await env.DB.batch(parts.map((p) => prepare(env.DB, p)));
      return fresh.id;
    },
  };
});

async function cookieFor(caller: Caller): Promise<string | undefined> {
  if (caller === 'signedOut') return undefined;
  // Logged in afresh per request: the logout row ends sessions.
  cookies[caller] = await login(LOGIN[caller]);
  return cookies[caller];
}

describe('access matrix', () => {
  it('has a row for every route of the app', () => {
    expect(appRoutes().filter((r) => !(r in MATRIX))).toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !appRoutes().includes(r))).toEqual([]);
  });

  const signedInAs = (caller: Caller) => USERS[caller === 'signedOut' ? 'organizer2' : LOGIN[caller]].id;

  for (const [route, row] of Object.entries(MATRIX).filter(([r]) => !(r in TOKEN_API))) {
    type Pass = [whose: string, expected: Record<Caller, number>, requesterFor: (caller: Caller) => string];
    const passes: Pass[] = [[row.expectOwnJob ? "someone else's job" : '', row.expect, () => SOMEONE_ELSE]];
    if (row.expectOwnJob) passes.push(['their own job', row.expectOwnJob, signedInAs]);
    for (const [whose, expected, requesterFor] of passes) {
      it(`${route}${whose ? ` (${whose})` : ''}`, async () => {
        const method = route.split(' ')[0] ?? 'GET';
        const got: Partial<Record<Caller, number>> = {};
        for (const caller of CALLERS) {
          const req = await row.make(ctx, caller, requesterFor(caller));
          const res = await request(req.path, {
            method,
            cookie: await cookieFor(caller),
            json: req.body,
            headers: req.headers,
          });
          got[caller] = res.status;
          await res.body?.cancel();
        }
        expect(got).toEqual(expected);
      });
    }
  }

  // One test per caller, one sign-in for all the token API's routes (a test per route would sign in
  // six times for each of them).
  for (const caller of CALLERS) {
    it(`the token API answers ${caller} 401 on every route: a session cookie is not a token`, async () => {
      const cookie = await cookieFor(caller);
      const got: Record<string, number> = {};
      for (const [route, row] of Object.entries(TOKEN_API)) {
        const req = await row.make(ctx, caller, SOMEONE_ELSE);
        const res = await request(req.path, { method: route.split(' ')[0], cookie, json: req.body });
        got[route] = res.status;
        await res.body?.cancel();
      }
      expect(got).toEqual(Object.fromEntries(Object.entries(TOKEN_API).map(([route, row]) => [route, row.expect[caller]])));
    });
  }
});
