import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ID, insertQueuedJob, login, request, seedFixture, USERS } from './helpers';

// What the report center asks of the jobs API: the organizer's own requests or everyone's, by type
// and status; what helps after a failure; each recipient's latest email; the operator's switches.

interface ListedJob {
  job_id: string;
  requested_by: string;
  type: string;
  status: string;
  failure_remedy: string | null;
  retried_by: string | null;
  notifications: { recipient: string; status: string }[];
}

const jobsPath = `/v1/admin/events/${EVENT_ID}/reports/jobs`;
let organizer: string;
const ids: Record<string, string> = {};

async function list(query: string, cookie = organizer) {
  const res = await request(`${jobsPath}?limit=100&${query}`, { cookie });
  expect(res.status).toBe(200);
  return res.json<{ data: ListedJob[]; total: number; runner_paused: boolean; new_requests_disabled: boolean }>();
}

async function put(name: string, fields: Record<string, unknown>) {
  const job = await insertQueuedJob({
    requested_by: (fields.requested_by as string) ?? USERS.organizer.id,
    type: (fields.type as string) ?? 'guest-list',
  });
  const { requested_by: _r, type: _t, ...set } = fields;
  const keys = Object.keys(set);
  if (keys.length > 0)
    await env.DB.prepare(`UPDATE event_report_jobs SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = ?`)
      .bind(...keys.map((k) => set[k]), job.id)
      .run();
  ids[name] = job.id;
}

beforeAll(async () => {
  await seedFixture(10);
  organizer = await login('organizer');
  await put('mineQueued', {});
  await put('mineFailedStorage', { status: 'failed', failure_code: 'storage_unavailable', finished_at: Date.now() });
  await put('mineFailedTooLarge', { status: 'failed', failure_code: 'dataset_too_large', finished_at: Date.now() });
  await put('minePdfTooLarge', { status: 'failed', failure_code: 'dataset_too_large', format: 'pdf', finished_at: Date.now() });
  await put('othersOrders', { requested_by: USERS.organizer2.id, type: 'orders', status: 'cancelled', finished_at: Date.now() });
});

describe('the jobs list', () => {
  it('filters by requester (mine or everyone), type and status, and counts what it filters', async () => {
    const everyone = await list('scope=all');
    expect(everyone.data.map((j) => j.job_id)).toEqual(expect.arrayContaining(Object.values(ids)));
    const mine = await list('scope=mine');
    expect(mine.data.every((j) => j.requested_by === USERS.organizer.id)).toBe(true);
    expect(mine.data.map((j) => j.job_id)).not.toContain(ids.othersOrders);
    expect(mine.total).toBe(mine.data.length);
    const orders = await list('type=orders');
    expect(orders.data.map((j) => j.job_id)).toEqual([ids.othersOrders]);
    const failedMine = await list('scope=mine&status=failed');
    expect(failedMine.data.map((j) => j.job_id).sort()).toEqual(
      [ids.mineFailedStorage, ids.mineFailedTooLarge, ids.minePdfTooLarge].sort(),
    );
    // A type the viewer may not see (the audit log) lists nothing rather than failing.
    expect((await list('type=audit-log')).data).toEqual([]);
    expect((await request(`${jobsPath}?status=nonsense`, { cookie: organizer })).status).toBe(400);
  });

  it('shows each role exactly the types it may read, though the page is read with the session check', async () => {
    // The list's statements learn the caller's role in SQL (db/sessions.ts callerSql): the same
    // answer as the catalog's rule, for every role, and nothing for a caller the check refuses.
    await put('adminAudit', { requested_by: USERS.admin.id, type: 'audit-log' });
    const types = async (user: 'admin' | 'organizer' | 'viewer') =>
      new Set((await list('scope=all', await login(user))).data.map((j) => j.type));
    expect(await types('admin')).toEqual(new Set(['guest-list', 'orders', 'audit-log']));
    expect(await types('organizer')).toEqual(new Set(['guest-list', 'orders']));
    expect(await types('viewer')).toEqual(new Set(['guest-list']));
    for (const [cookie, status] of [
      [undefined, 401],
      [await login('staff'), 403],
      [await login('globex'), 404],
    ] as const) {
      // A bad query is answered only after the caller is: a signed-out caller hears 401, not what was wrong.
      expect((await request(`${jobsPath}?status=nonsense`, { cookie })).status).toBe(status);
      expect((await request(`${jobsPath}/${ids.mineQueued}`, { cookie })).status).toBe(status);
    }
  });

  it('says whether the operator paused the runner', async () => {
    expect((await list('')).runner_paused).toBe(false);
    await env.DB.prepare('UPDATE ops_settings SET runner_paused = 1').run();
    try {
      expect((await list('')).runner_paused).toBe(true);
    } finally {
      await env.DB.prepare('UPDATE ops_settings SET runner_paused = 0').run();
    }
  });
});

describe('after a failure', () => {
  it('names what helps, refuses a Retry that cannot, and links a failed job to its retry', async () => {
    const byId = Object.fromEntries((await list('scope=mine')).data.map((j) => [j.job_id, j]));
    expect(byId[ids.mineFailedStorage ?? '']?.failure_remedy).toBe('retry');
    expect(byId[ids.mineFailedTooLarge ?? '']?.failure_remedy).toBe('narrow_range');
    expect(byId[ids.minePdfTooLarge ?? '']?.failure_remedy).toBe('use_csv');
    expect(byId[ids.mineQueued ?? '']?.failure_remedy).toBeNull();

    const refused = await request(`${jobsPath}/${ids.mineFailedTooLarge}/retry`, { method: 'POST', cookie: organizer });
    expect(refused.status).toBe(409);
    expect((await refused.json<{ error: { code: string; message: string } }>()).error).toMatchObject({
      code: 'retry_cannot_help',
      message: expect.stringContaining('narrower date range'),
    });

    const retried = await request(`${jobsPath}/${ids.mineFailedStorage}/retry`, { method: 'POST', cookie: organizer });
    expect(retried.status).toBe(201);
    const retry = await retried.json<{ job_id: string }>();
    const after = Object.fromEntries((await list('scope=mine')).data.map((j) => [j.job_id, j]));
    expect(after[ids.mineFailedStorage ?? '']?.retried_by).toBe(retry.job_id);
  });
});

describe('notifications', () => {
  it('shows each recipient once, with the state of their latest email', async () => {
    const jobId = ids.mineQueued ?? '';
    const add = (recipient: string, status: string, at: number) =>
      env.DB.prepare(
        `INSERT INTO notification_outbox (id, job_id, kind, recipient, payload, status, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, 'report_ready', ?, '{}', ?, ?, ?, ?)`,
      )
        .bind(`nb${crypto.randomUUID().replaceAll('-', '')}`, jobId, recipient, status, at, at, at)
        .run();
    const t = Date.now();
    await add('viewer@acme.test', 'bounced', t - 3000);
    await add('viewer@acme.test', 'sent', t - 1000); // the resend, after the bounce
    await add('admin@acme.test', 'queued', t - 2000);
    const job = (await list('scope=mine')).data.find((j) => j.job_id === jobId);
    expect(job?.notifications.map((n) => [n.recipient, n.status]).sort()).toEqual([
      ['admin@acme.test', 'queued'],
      ['viewer@acme.test', 'sent'],
    ]);
  });
});
