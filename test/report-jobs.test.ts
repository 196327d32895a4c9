import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { claimJob } from '../src/worker/db/jobs';
import { runReportJob } from '../src/worker/jobs/runner';
import { linkExpiry } from '../src/worker/signing';
import { ZonedClock } from '../src/worker/time';
import {
  createJob,
  EVENT_ID,
  type FixtureGuest,
  insertQueuedJob,
  jobRow,
  login,
  request,
  seedFixture,
  USERS,
  waitForStatus,
} from './helpers';
import { FORMULA_CELL, unneutralise } from './reports-fixture';

interface JobJson {
  job_id: string;
  status: string;
  requested_by: string;
  download_url: string | null;
  rows_done: number;
  artifact: { file_name: string; download_count: number; row_count: number } | null;
}

let guests: FixtureGuest[];
let organizer: string;

beforeAll(async () => {
  guests = await seedFixture(4_500);
  organizer = await login('organizer');
});

async function completedJob(params: Record<string, unknown> = { format: 'csv' }): Promise<JobJson> {
  const res = await createJob(organizer, { type: 'guest-list', params, notify_emails: [] });
  expect(res.status).toBe(201);
  const created = await res.json<JobJson>();
  await waitForStatus(created.job_id, ['completed']);
  const job = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${created.job_id}`, { cookie: organizer });
  return job.json<JobJson>();
}

const sortKey = (g: FixtureGuest) => [g.last_name, g.first_name, g.id].join('\u0000');

/** The guest list as the organizer expects it, written independently of the report's own query. */
function expectedRows(list: FixtureGuest[]): string[][] {
  // Spreadsheet-ready times (the CSV default): wall time in the event's zone, named in the header.
  const clock = new ZonedClock('America/New_York', 'spreadsheet');
  return [...list]
    .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1))
    .map((g) => [
      g.last_name,
      g.first_name,
      g.email,
      g.company,
      g.ticket_type,
      g.rsvp_status,
      clock.format(g.registered_at),
      g.checked_in_at === null ? '' : clock.format(g.checked_in_at),
    ]);
}

describe('creating a report job', () => {
  it('answers 201 with a job_id and stores type, params and requested_by', async () => {
    const res = await createJob(organizer, {
      type: 'guest-list',
      params: { format: 'csv', date_from: '2026-01-10' },
      notify_emails: ['viewer@acme.test'],
    });
    expect(res.status).toBe(201);
    const body = await res.json<JobJson>();
    expect(body.job_id).toMatch(/^[a-z0-9]+$/);
    expect(body.status).toBe('queued');
    const row = await jobRow(body.job_id);
    expect(row).toMatchObject({
      type: 'guest-list',
      format: 'csv',
      requested_by: USERS.organizer.id,
      event_id: EVENT_ID,
      workspace_id: 'wacme',
    });
    expect(JSON.parse(row?.params ?? '{}')).toEqual({
      format: 'csv',
      date_from: '2026-01-10',
      include_bom: true,
      spreadsheet_times: true,
    });
    expect(JSON.parse(row?.notify_emails ?? '[]')).toEqual(['viewer@acme.test']);
    await waitForStatus(body.job_id, ['completed']);
  });

  it('answers bad input with 400 naming the field, and writes nothing', async () => {
    const before = await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_jobs').first<{ n: number }>();
    const cases: [unknown, RegExp][] = [
      [{ type: 'nope', params: { format: 'csv' } }, /^type: Unknown report type/],
      [{ type: 'guest-list', params: { format: 'xlsx' } }, /^params\.format/],
      [{ type: 'guest-list', params: { format: 'csv', date_from: '2026-02-30' } }, /^params\.date_from/],
      [{ type: 'guest-list', params: { format: 'csv', date_from: '2026-03-02', date_to: '2026-03-01' } }, /^params\.date_to/],
      [{ type: 'guest-list', params: { format: 'csv' }, notify_emails: ['not-an-email'] }, /^notify_emails\.0/],
      [{ type: 'guest-list', params: { format: 'csv', extra: 1 } }, /^params/],
    ];
    for (const [body, message] of cases) {
      const res = await createJob(organizer, body);
      expect(res.status).toBe(400);
      const error = (await res.json<{ error: { code: string; message: string } }>()).error;
      expect(error.message).toMatch(message);
    }
    const after = await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_jobs').first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
  });

  it('creates two independent jobs when two organizers ask for the same report', async () => {
    const other = await login('organizer2');
    const body = { type: 'guest-list', params: { format: 'csv' } };
    const [a, b] = await Promise.all([createJob(organizer, body), createJob(other, body)]);
    const [ja, jb] = [await a.json<JobJson>(), await b.json<JobJson>()];
    expect(ja.job_id).not.toBe(jb.job_id);
    expect([ja.requested_by, jb.requested_by].sort()).toEqual([USERS.organizer.id, USERS.organizer2.id].sort());
    await Promise.all([waitForStatus(ja.job_id, ['completed']), waitForStatus(jb.job_id, ['completed'])]);
  });
});

describe('the runner', () => {
  it('streams a CSV whose parsed rows equal the event’s guests', async () => {
    const job = await completedJob();
    expect(job.artifact?.row_count).toBe(guests.length);
    const artifact = await env.DB.prepare('SELECT * FROM event_report_job_artifacts WHERE job_id = ?')
      .bind(job.job_id)
      .first<{ r2_key: string; size_bytes: number }>();
    expect(artifact?.r2_key).toBeTruthy();
    const object = await env.REPORTS_BUCKET.get(artifact?.r2_key ?? '');
    expect(object?.size).toBe(artifact?.size_bytes);
    const bytes = new Uint8Array((await object?.arrayBuffer()) ?? new ArrayBuffer(0));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the byte-order mark Excel needs
    const rows = parse(new TextDecoder().decode(bytes), { bom: true }) as string[][];
    expect(rows[0]).toEqual([
      'Last name',
      'First name',
      'Email',
      'Company',
      'Ticket type',
      'RSVP status',
      'Registered at (America/New_York)',
      'Checked in at (America/New_York)',
    ]);
    expect(rows.slice(1).map((r) => r.map(unneutralise))).toEqual(expectedRows(guests));
    // No cell starts with a character a spreadsheet would execute, blanks before it or not.
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(FORMULA_CELL);
  });

  it('filters by the date range in the event’s time zone', async () => {
    const job = await completedJob({ format: 'csv', date_from: '2026-02-01', date_to: '2026-02-07' });
    const clock = new ZonedClock('America/New_York');
    const inRange = guests.filter((g) => {
      const day = clock.dateOf(g.registered_at);
      return day >= '2026-02-01' && day <= '2026-02-07';
    });
    expect(inRange.length).toBeGreaterThan(0);
    expect(job.rows_done).toBe(inRange.length);
    expect(job.artifact?.file_name).toBe('acme-summit_guest-list_2026-02-01_2026-02-07.csv');
  });

  it('lets exactly one of two simultaneous runners work a job; a second claim changes nothing', async () => {
    const job = await insertQueuedJob();
    const outcomes = await Promise.all([runReportJob(env, job.id), runReportJob(env, job.id)]);
    expect(outcomes.sort()).toEqual(['completed', 'skipped']);
    const artifacts = await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_job_artifacts WHERE job_id = ?')
      .bind(job.id)
      .first<{ n: number }>();
    expect(artifacts?.n).toBe(1);
    const row = await jobRow(job.id);
    expect(row?.attempts).toBe(1);
    expect(await claimJob(env.DB, job.id, 'another-token', Date.now(), 60_000)).toBeNull();
    expect((await jobRow(job.id))?.status).toBe('completed');
  });
});

describe('listing jobs', () => {
  it('pages with the platform envelope, newest first, 25 by default', async () => {
    const list = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, { cookie: organizer });
    const body = await list.json<{ data: JobJson[]; page: number; limit: number; total: number; hasMore: boolean }>();
    expect(body.page).toBe(1);
    expect(body.limit).toBe(25);
    expect(body.total).toBeGreaterThanOrEqual(3);
    const paged = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs?page=1&limit=2`, { cookie: organizer });
    const first = await paged.json<typeof body>();
    expect(first.data).toHaveLength(2);
    expect(first.hasMore).toBe(true);
    expect(first.total).toBe(body.total);
    const last = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs?page=${Math.ceil(body.total / 2)}&limit=2`, {
      cookie: organizer,
    });
    expect((await last.json<typeof body>()).hasMore).toBe(false);
    const bad = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs?limit=0`, { cookie: organizer });
    expect(bad.status).toBe(400);
  });
});

describe('downloading', () => {
  it('serves the file to a signed-in member and records the download', async () => {
    const job = await completedJob();
    expect(job.download_url).toMatch(
      /^\/v1\/admin\/events\/evsummit\/reports\/jobs\/[a-z0-9]+\/download\?expires=\d+&signature=[0-9a-f]{64}$/,
    );
    for (const expected of [1, 2]) {
      const res = await request(job.download_url ?? '', { cookie: organizer });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(res.headers.get('content-disposition')).toContain('attachment; filename="acme-summit_guest-list_all_');
      expect((await res.text()).length).toBeGreaterThan(1000);
      const artifact = await env.DB.prepare(
        'SELECT download_count, last_downloaded_at FROM event_report_job_artifacts WHERE job_id = ?',
      )
        .bind(job.job_id)
        .first<{ download_count: number; last_downloaded_at: number }>();
      expect(artifact?.download_count).toBe(expected);
      expect(artifact?.last_downloaded_at).toBeGreaterThan(0);
    }
    const audit = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM audit_log WHERE action = 'report.downloaded' AND subject_id = ?",
    )
      .bind(job.job_id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(2);
  });

  it('refuses a tampered signature, expiry or job id', async () => {
    const job = await completedJob();
    const url = new URL(job.download_url ?? '', 'http://x');
    const signature = url.searchParams.get('signature') ?? '';
    const flipped = (signature[0] === 'a' ? 'b' : 'a') + signature.slice(1);
    // Another id of the same shape (a fixed last character would leave one id in 32 unchanged).
    const otherJobId = job.job_id.slice(0, -1) + (job.job_id.endsWith('0') ? '1' : '0');
    const tampered = [
      `${url.pathname}?expires=${url.searchParams.get('expires')}&signature=${flipped}`,
      `${url.pathname}?expires=${Number(url.searchParams.get('expires')) + 3600}&signature=${signature}`,
      `${url.pathname.replace(job.job_id, otherJobId)}?expires=${url.searchParams.get('expires')}&signature=${signature}`,
      `${url.pathname}?expires=${url.searchParams.get('expires')}`,
    ];
    for (const path of tampered) {
      const res = await request(path, { cookie: organizer });
      expect(res.status).toBe(403);
      expect((await res.json<{ error: { code: string } }>()).error.code).toBe('bad_signature');
    }
  });

  it('sends a signed-out browser to sign in, then back to the download', async () => {
    const job = await completedJob();
    const res = await request(job.download_url ?? '', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent(job.download_url ?? '')}`);
    const api = await request(job.download_url ?? '');
    expect(api.status).toBe(401);
  });

  it('is useless outside the account: a member of another workspace gets 404', async () => {
    const job = await completedJob();
    const res = await request(job.download_url ?? '', { cookie: await login('globex') });
    expect(res.status).toBe(404);
  });
});

describe('link expiry', () => {
  const withTtl = (seconds: number) =>
    Object.assign(Object.create(null), env, { REPORT_DOWNLOAD_URL_TTL_SECONDS: String(seconds) });

  it('gives a link its configured TTL, at most 1/64 more, and the same link to polls a moment apart', () => {
    const now = Date.UTC(2026, 5, 1, 12, 0, 7, 400);
    for (const ttl of [600, 3600, 86_400, 604_800]) {
      const expires = linkExpiry(withTtl(ttl), now);
      const lived = expires - now / 1000;
      expect(lived).toBeGreaterThanOrEqual(ttl - 1);
      expect(lived).toBeLessThanOrEqual(ttl * (1 + 1 / 64));
      // Polls two seconds apart get the same expiry, hence the same signed URL, nearly always.
      const step = Math.min(3600, Math.floor(ttl / 64));
      const same = [0, 2_000, 4_000].filter((d) => linkExpiry(withTtl(ttl), now + d) === expires).length;
      expect(same).toBeGreaterThanOrEqual(step >= 8 ? 2 : 1);
    }
    // A ten-minute TTL no longer hands out links valid for up to seventy minutes.
    expect(linkExpiry(withTtl(600), now) - now / 1000).toBeLessThan(610);
  });
});
