import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReportJob } from '../src/worker/jobs/runner';
import { EVENT_ID, insertQueuedJob, login, request, seedFixture, USERS, type UserKey } from './helpers';

// Property-based tests over the API's edges: whatever arrives, the answer is a readable 4xx (or a
// success for what is actually valid), never a 500 or a stack trace, and nothing is written for a
// rejected request.

let cookie: string;
const SEED = 20261123;

beforeAll(async () => {
  await seedFixture(20);
  cookie = await login('organizer');
});

const jobCount = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_jobs').first<number>('n')) ?? 0;

async function expectReadableRefusal(res: Response): Promise<void> {
  expect(res.status, `status ${res.status}`).toBeGreaterThanOrEqual(400);
  expect(res.status).toBeLessThan(500);
  const text = await res.text();
  const body = JSON.parse(text) as { error: { code: string; message: string } };
  expect(body.error.code).toMatch(/^[a-z_]+$/);
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(text).not.toMatch(/at .+\.(ts|js):\d+|Error: /);
}

const hugeString = fc.string({ minLength: 5_000, maxLength: 20_000 });
const weirdString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  hugeString,
  fc.constantFrom('', ' ', '\u0000', '=1+2', '../../etc', '2026-02-30'),
);
const dateLike = fc.oneof(
  weirdString,
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom('2026-13-01', '2026-00-10', '0000-01-01', '9999-12-31', '2026-1-1', '2026-02-29'),
);
const paramsArb = fc.oneof(
  fc.anything(),
  fc.record(
    {
      format: fc.oneof(fc.constantFrom('csv', 'pdf', 'xlsx', ''), weirdString, fc.integer()),
      date_from: dateLike,
      date_to: dateLike,
      include_bom: fc.oneof(fc.boolean(), weirdString),
      rsvp_status: fc.oneof(fc.array(fc.constantFrom('attending', 'maybe', 'nope')), weirdString),
      time_zone: weirdString,
    },
    { requiredKeys: [] },
  ),
);
const bodyArb = fc.oneof(
  fc.anything(),
  fc.record(
    {
      type: fc.oneof(fc.constantFrom('guest-list', 'audit-log', 'nope', ''), weirdString, fc.integer()),
      params: paramsArb,
      notify_emails: fc.oneof(fc.array(fc.oneof(fc.emailAddress(), weirdString), { maxLength: 15 }), weirdString),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
);

describe('hostile input never breaks the API', () => {
  it('POST …/reports/jobs: random and malformed bodies get a readable 4xx, and nothing is written', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, async (body) => {
        const before = await jobCount();
        const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, { method: 'POST', cookie, json: body });
        if (res.status === 201) return; // a valid request: fine
        await expectReadableRefusal(res);
        expect(await jobCount()).toBe(before);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('raw bodies that are not JSON, or not objects, are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.constantFrom('{', '[]', 'null', '"x"', '1e999', '{"type":')), async (raw) => {
        const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
          method: 'POST',
          cookie,
          body: raw,
          headers: { 'content-type': 'application/json' },
        });
        await expectReadableRefusal(res);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('pagination and sort values outside the allowed set get 400, valid ones 200', async () => {
    const value = fc.oneof(fc.string(), fc.integer().map(String), fc.constantFrom('-1', '0', '1e9', 'NaN', '25.5', '%00'));
    await fc.assert(
      fc.asyncProperty(value, value, value, async (page, limit, sort) => {
        const qs = new URLSearchParams({ page, limit, sort }).toString();
        const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs?${qs}`, { cookie });
        if (res.status !== 200) await expectReadableRefusal(res);
      }),
      { seed: SEED, numRuns: 100 },
    );
  });

  it('ids in the path that do not exist or are malformed get 404, never 500', async () => {
    const id = fc.oneof(fc.string({ minLength: 1 }), fc.stringMatching(/^[a-z0-9]{1,40}$/), hugeString);
    await fc.assert(
      fc.asyncProperty(id, id, async (eventId, jobId) => {
        const e = encodeURIComponent(eventId);
        const j = encodeURIComponent(jobId);
        for (const path of [`/v1/admin/events/${e}/reports/jobs/${j}`, `/v1/admin/events/${EVENT_ID}/reports/jobs/${j}`]) {
          const res = await request(path, { cookie });
          await expectReadableRefusal(res);
        }
        const post = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${j}/cancel`, { method: 'POST', cookie });
        await expectReadableRefusal(post);
      }),
      { seed: SEED, numRuns: 60 },
    );
  });

  it('sign-in with random credentials gets 400 or 401, and no session', async () => {
    await fc.assert(
      fc.asyncProperty(fc.anything(), async (body) => {
        const res = await request('/v1/auth/login', { method: 'POST', json: body });
        expect(res.headers.get('set-cookie')).toBeNull();
        await expectReadableRefusal(res);
      }),
      { seed: SEED, numRuns: 40 },
    );
  });
});

describe('prototype keys are unknown keys like any other', () => {
  const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '__defineGetter__'];

  it('params.__proto__ is refused with 400 naming it, and no job is created', async () => {
    const before = await jobCount();
    const raw = '{"type":"guest-list","params":{"format":"csv","__proto__":{"include_bom":false}}}';
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
      method: 'POST',
      cookie,
      body: raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect((await res.json<{ error: { code: string; message: string } }>()).error).toEqual({
      code: 'validation_failed',
      message: 'params: Unrecognized key: "__proto__"',
    });
    expect(await jobCount()).toBe(before);
  });

  it('anywhere in any body, a prototype key gets a readable 400 and nothing is written', async () => {
    const where = fc.constantFrom('top', 'params', 'deep');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...PROTOTYPE_KEYS), fc.jsonValue({ maxDepth: 2 }), where, async (key, value, at) => {
        const extra = `${JSON.stringify(key)}:${JSON.stringify(value) ?? 'null'}`;
        const params =
          at === 'params'
            ? `{"format":"csv",${extra}}`
            : at === 'deep'
              ? `{"format":"csv","rsvp_status":[{${extra}}]}`
              : '{"format":"csv"}';
        const raw = `{"type":"guest-list","params":${params}${at === 'top' ? `,${extra}` : ''}}`;
        const before = await jobCount();
        const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
          method: 'POST',
          cookie,
          body: raw,
          headers: { 'content-type': 'application/json' },
        });
        expect(res.status, raw).toBe(400);
        await expectReadableRefusal(res);
        expect(await jobCount()).toBe(before);
      }),
      { seed: SEED, numRuns: 30 },
    );
  });
});

describe('who may act on a job, and who may be emailed', () => {
  type Member = 'admin' | 'organizer' | 'organizer2' | 'viewer';
  const MEMBERS: Member[] = ['admin', 'organizer', 'organizer2', 'viewer'];
  const cookies: Partial<Record<Member, string>> = {};
  const cookieOf = async (who: Member) => {
    cookies[who] ??= await login(who as UserKey);
    return cookies[who];
  };

  /** A job of `requester` in the state the action needs. */
  async function jobFor(action: string, requester: Member): Promise<string> {
    const job = await insertQueuedJob({ requested_by: USERS[requester].id });
    if (action === 'cancel') return job.id;
    if (action === 'retry') {
      await env.DB.prepare("UPDATE event_report_jobs SET status = 'failed', failure_code = 'internal' WHERE id = ?")
        .bind(job.id)
        .run();
      return job.id;
    }
    expect(await runReportJob(env, job.id)).toBe('completed');
    return job.id;
  }

  const snapshot = async (jobId: string) => ({
    job: await env.DB.prepare('SELECT status, cancel_requested_at FROM event_report_jobs WHERE id = ?').bind(jobId).first(),
    jobs: await jobCount(),
    outbox: await env.DB.prepare('SELECT COUNT(*) AS n FROM notification_outbox WHERE job_id = ?').bind(jobId).first<number>('n'),
  });

  it('cancel, retry and resend: the requester and admins only; seeing and re-running: every reader', async () => {
    const ACTIONS = ['cancel', 'retry', 'resend-notification', 'rerun', 'view'] as const;
    const MANAGE = new Set<string>(['cancel', 'retry', 'resend-notification']);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTIONS),
        fc.constantFrom(...MEMBERS),
        fc.constantFrom(...MEMBERS),
        async (action, caller, requester) => {
          const jobId = await jobFor(action, requester);
          const before = await snapshot(jobId);
          const path = `/v1/admin/events/${EVENT_ID}/reports/jobs/${jobId}${action === 'view' ? '' : `/${action}`}`;
          const res = await request(path, {
            method: action === 'view' ? 'GET' : 'POST',
            cookie: await cookieOf(caller),
            json: action === 'resend-notification' ? { notify_emails: [USERS.viewer.email] } : undefined,
          });
          const allowed = !MANAGE.has(action) || caller === requester || caller === 'admin';
          if (allowed) {
            expect(res.status, `${caller} ${action} ${requester}'s job`).toBeLessThan(300);
            await res.body?.cancel();
          } else {
            expect(res.status, `${caller} ${action} ${requester}'s job`).toBe(403);
            expect((await res.json<{ error: { code: string } }>()).error.code).toBe('not_requester');
            expect(await snapshot(jobId)).toEqual(before);
          }
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });

  it('notify_emails: 201 when every address is a member who may read the type, else 400 naming the first other one', async () => {
    const eligible: string[] = [USERS.admin.email, USERS.organizer.email, USERS.organizer2.email, USERS.viewer.email];
    const address = fc.oneof(
      fc.constantFrom(...eligible).map((email) => ({ email, ok: true })),
      fc.constantFrom(USERS.staff.email, USERS.globex.email).map((email) => ({ email, ok: false })),
      fc.emailAddress().map((email) => ({ email, ok: eligible.includes(email.toLowerCase()) })),
    );
    const anyCase = (email: string, upper: boolean[]) =>
      [...email].map((ch, i) => (upper[i % upper.length] ? ch.toUpperCase() : ch)).join('');
    await fc.assert(
      fc.asyncProperty(
        fc.array(address, { maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        async (list, upper) => {
          const emails = list.map((a) => anyCase(a.email, upper));
          const before = await jobCount();
          const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
            method: 'POST',
            cookie: await cookieOf('viewer'),
            json: { type: 'guest-list', params: { format: 'csv' }, notify_emails: emails },
          });
          const firstRefused = list.findIndex((a) => !a.ok);
          if (firstRefused === -1) {
            expect(res.status, JSON.stringify(emails)).toBe(201);
            await res.body?.cancel();
            return;
          }
          expect(res.status, JSON.stringify(emails)).toBe(400);
          const { error } = await res.json<{ error: { code: string; message: string } }>();
          expect(error.code).toMatch(/^(recipient_not_member|validation_failed)$/);
          if (error.code === 'recipient_not_member') {
            expect(error.message).toContain(`notify_emails.${firstRefused}: ${emails[firstRefused]} is not a member`);
          }
          expect(await jobCount()).toBe(before);
        },
      ),
      { seed: SEED, numRuns: 30 },
    );
  });
});
