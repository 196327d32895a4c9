import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatchOutbox } from '../src/worker/email/dispatch';
import { runReportJob } from '../src/worker/jobs/runner';
import { createJob, EVENT_ID, insertQueuedJob, login, request, seedFixture, USERS } from './helpers';

// Report emails go only to members who can open the link: members of the event's workspace whose
// role may read the report type. Anyone else is refused by name, so the outbox relays nothing.

interface ErrorJson {
  error: { code: string; message: string };
}

let organizer: string;
let admin: string;
const jobsPath = `/v1/admin/events/${EVENT_ID}/reports/jobs`;
const jobCount = async () => (await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_jobs').first<number>('n')) ?? 0;
const outboxOf = async (jobId: string) =>
  (
    await env.DB.prepare(
      'SELECT recipient, status, last_error FROM notification_outbox WHERE job_id = ? ORDER BY created_at, recipient',
    )
      .bind(jobId)
      .all<{ recipient: string; status: string; last_error: string | null }>()
  ).results;

beforeAll(async () => {
  await seedFixture(10);
  organizer = await login('organizer');
  admin = await login('admin');
});

async function completedJob(requester: string = USERS.organizer.id, notify: string[] = []) {
  const job = await insertQueuedJob({ requested_by: requester, notify_emails: JSON.stringify(notify) });
  expect(await runReportJob(env, job.id)).toBe('completed');
  return job;
}

describe('notify_emails on a new report', () => {
  it('accepts members who may read the type, in any letter case', async () => {
    const res = await createJob(organizer, {
      type: 'guest-list',
      params: { format: 'csv' },
      notify_emails: ['Viewer@Acme.test', USERS.organizer2.email],
    });
    expect(res.status).toBe(201);
    expect((await res.json<{ notify_emails: string[] }>()).notify_emails).toEqual(['Viewer@Acme.test', USERS.organizer2.email]);
  });

  it('refuses anyone else with a 400 naming the address, and writes nothing', async () => {
    const before = await jobCount();
    const cases: [string, unknown, string][] = [
      [
        'outside address',
        ['viewer@acme.test', 'someone@evil.test'],
        'notify_emails.1: someone@evil.test is not a member of Acme Events',
      ],
      [
        'member of another workspace',
        [USERS.globex.email],
        `notify_emails.0: ${USERS.globex.email} is not a member of Acme Events`,
      ],
      ['member without report access', [USERS.staff.email], `notify_emails.0: ${USERS.staff.email} is not a member`],
    ];
    for (const [what, notify, message] of cases) {
      const res = await createJob(organizer, { type: 'guest-list', params: { format: 'csv' }, notify_emails: notify });
      expect(res.status, what).toBe(400);
      const { error } = await res.json<ErrorJson>();
      expect(error.code, what).toBe('recipient_not_member');
      expect(error.message, what).toContain(message);
      expect(error.message).toContain('who can open the Guest list summary report');
    }
    // An admin-only type: a read-only member cannot open it, so cannot be sent it.
    const audit = await createJob(admin, { type: 'audit-log', params: { format: 'csv' }, notify_emails: [USERS.viewer.email] });
    expect(audit.status).toBe(400);
    expect((await audit.json<ErrorJson>()).error.message).toMatch(
      /^notify_emails\.0: viewer@acme\.test is not a member of Acme Events who can open the Audit log report/,
    );
    expect(await jobCount()).toBe(before);
  });

  it('is checked on the orders export too', async () => {
    const res = await request(`/v1/admin/events/${EVENT_ID}/orders/export`, {
      method: 'POST',
      cookie: organizer,
      json: { notify_emails: ['finance@elsewhere.test'] },
    });
    expect(res.status).toBe(400);
    expect((await res.json<ErrorJson>()).error.code).toBe('recipient_not_member');
  });

  it('a re-run leaves out recipients who lost access since, instead of refusing the re-run', async () => {
    const job = await completedJob(USERS.organizer.id, [USERS.viewer.email, USERS.organizer2.email]);
    await env.DB.prepare("UPDATE memberships SET role = 'staff' WHERE user_id = ?").bind(USERS.viewer.id).run();
    try {
      const rerun = await request(`${jobsPath}/${job.id}/rerun`, { method: 'POST', cookie: organizer });
      expect(rerun.status).toBe(201);
      expect((await rerun.json<{ notify_emails: string[] }>()).notify_emails).toEqual([USERS.organizer2.email]);
    } finally {
      await env.DB.prepare("UPDATE memberships SET role = 'viewer' WHERE user_id = ?").bind(USERS.viewer.id).run();
    }
  });

  it('the dispatcher sends nothing to a recipient whose access ended after the request', async () => {
    const job = await completedJob(USERS.organizer.id, [USERS.viewer.email, USERS.organizer2.email]);
    await env.DB.prepare("UPDATE memberships SET role = 'staff' WHERE user_id = ?").bind(USERS.organizer2.id).run();
    try {
      await dispatchOutbox(env, Date.now());
      expect(await outboxOf(job.id)).toEqual([
        {
          recipient: USERS.organizer2.email,
          status: 'failed',
          last_error: 'the recipient is not a member who can open this report',
        },
        { recipient: USERS.viewer.email, status: 'sent', last_error: null },
      ]);
    } finally {
      await env.DB.prepare("UPDATE memberships SET role = 'organizer' WHERE user_id = ?").bind(USERS.organizer2.id).run();
    }
  });
});

describe('resending the notification', () => {
  it('refuses an address that is not a member who may read the type', async () => {
    const job = await completedJob();
    const res = await request(`${jobsPath}/${job.id}/resend-notification`, {
      method: 'POST',
      cookie: organizer,
      json: { notify_emails: [USERS.admin.email, 'friend@gmail.test'] },
    });
    expect(res.status).toBe(400);
    expect((await res.json<ErrorJson>()).error.message).toMatch(/^notify_emails\.1: friend@gmail\.test is not a member/);
    expect(await outboxOf(job.id)).toEqual([]);
  });

  it('is limited to 5 per job per hour, also when 20 arrive at once', async () => {
    const job = await completedJob();
    const resend = () =>
      request(`${jobsPath}/${job.id}/resend-notification`, {
        method: 'POST',
        cookie: organizer,
        json: { notify_emails: [USERS.viewer.email, USERS.admin.email] },
      });
    const responses = await Promise.all(Array.from({ length: 20 }, resend));
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([...Array(5).fill(202), ...Array(15).fill(429)]);
    const refused = responses.find((r) => r.status === 429);
    expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThan(3000);
    expect((await refused?.json<ErrorJson>())?.error).toEqual({
      code: 'resend_limit',
      message: "This report's notification was already sent again 5 times in the last hour. Try again in 60 minutes.",
    });
    expect(await outboxOf(job.id)).toHaveLength(10);
    // An hour later it may be sent again.
    await env.DB.prepare('UPDATE notification_resends SET created_at = created_at - 3600000 WHERE job_id = ?').bind(job.id).run();
    expect((await resend()).status).toBe(202);
  });
});

describe('the recipient picker', () => {
  const suggest = (query: string, cookie = organizer) =>
    request(`/v1/admin/events/${EVENT_ID}/reports/recipients?${query}`, { cookie });

  it('lists the members who may read the type, filtered by what is typed', async () => {
    const all = await suggest('type=guest-list');
    expect(all.status).toBe(200);
    const emails = (await all.json<{ data: { email: string; name: string }[] }>()).data.map((m) => m.email).sort();
    expect(emails).toEqual([USERS.admin.email, USERS.organizer.email, USERS.organizer2.email, USERS.viewer.email].sort());
    const typed = await (await suggest('type=guest-list&q=ORGANIZER')).json<{ data: { email: string }[] }>();
    expect(typed.data.map((m) => m.email)).toEqual([USERS.organizer.email, USERS.organizer2.email]);
    const wildcard = await (await suggest('type=guest-list&q=%25')).json<{ data: unknown[] }>();
    expect(wildcard.data).toEqual([]); // "%" is a character here, not a pattern
    const audit = await (await suggest('type=audit-log', admin)).json<{ data: { email: string }[] }>();
    expect(audit.data.map((m) => m.email)).toEqual([USERS.admin.email]);
  });

  it('answers a type the caller cannot run with 403 and an unknown one with 400', async () => {
    expect((await suggest('type=audit-log')).status).toBe(403);
    expect((await suggest('type=wire-money')).status).toBe(400);
    expect((await suggest('q=x')).status).toBe(400);
  });
});

describe('access requests', () => {
  it('are recorded once per person, type and event while one is open, also when sent in parallel', async () => {
    const viewer = await login('viewer');
    const ask = (reportType: string) =>
      request('/v1/admin/access-requests', {
        method: 'POST',
        cookie: viewer,
        json: { event_id: EVENT_ID, report_type: reportType },
      });
    const answers = await Promise.all(Array.from({ length: 10 }, () => ask('audit-log')));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const repeated = answers.find((r) => r.status === 200);
    expect((await repeated?.json<{ message: string }>())?.message).toBe(
      'You already asked for access to the Audit log report; the workspace admins have your request.',
    );
    const count = (sql: string) => env.DB.prepare(sql).first<number>('n');
    expect(await count("SELECT COUNT(*) AS n FROM access_requests WHERE report_type = 'audit-log'")).toBe(1);
    expect(await count("SELECT COUNT(*) AS n FROM notification_outbox WHERE kind = 'access_request'")).toBe(1);
    // Another type is another request; a week later the same one may be asked again.
    expect((await ask('orders')).status).toBe(201);
    await env.DB.prepare('UPDATE access_requests SET created_at = created_at - 7 * 86400000 - 1').run();
    expect((await ask('audit-log')).status).toBe(201);
    expect(await count("SELECT COUNT(*) AS n FROM notification_outbox WHERE kind = 'access_request'")).toBe(3);
  });
});
