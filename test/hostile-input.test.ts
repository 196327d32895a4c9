import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ID, login, request, seedFixture } from './helpers';

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
