import { createExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { expect, vi } from 'vitest';
import { app } from '../src/worker/app';
import { hashPassword } from '../src/worker/auth/password';
import { insertJob, type JobRow, type NewJob } from '../src/worker/db/jobs';
import type { Env } from '../src/worker/env';
import { newId, toHex } from '../src/worker/ids';

export const PASSWORD = 'correct horse battery';
export const BASE = 'http://reports.test';

export const USERS = {
  admin: { id: 'uadmin', email: 'admin@acme.test', role: 'admin', workspace: 'wacme' },
  organizer: { id: 'uorg', email: 'organizer@acme.test', role: 'organizer', workspace: 'wacme' },
  organizer2: { id: 'uorg2', email: 'organizer2@acme.test', role: 'organizer', workspace: 'wacme' },
  viewer: { id: 'uviewer', email: 'viewer@acme.test', role: 'viewer', workspace: 'wacme' },
  staff: { id: 'ustaff', email: 'staff@acme.test', role: 'staff', workspace: 'wacme' },
  globex: { id: 'uglobex', email: 'owner@globex.test', role: 'admin', workspace: 'wglobex' },
} as const;
export type UserKey = keyof typeof USERS;

export const EVENT_ID = 'evsummit';
export const OTHER_EVENT_ID = 'evglobex';

export interface FixtureGuest {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
  company: string;
  ticket_type: string;
  rsvp_status: string;
  registered_at: number;
  checked_in_at: number | null;
  created_at: number;
}

export const HOSTILE_NAMES = [
  '=1+2',
  '+SUM(A1)',
  '-2+3',
  '@cmd',
  '\tTab',
  'Quote "x", y',
  'Line\nBreak',
  '🎉 Emoji',
  'مرحبا',
  // Formulas behind blanks a spreadsheet skips, and in full-width forms.
  ' =1+2',
  '\u00A0=HYPERLINK("http://evil.test")',
  '\u200B+SUM(A1)',
  '\uFEFF@cmd',
  '\n-2+3',
  '\r\u00A0=1',
  ' \u00A0\u200B\t=1',
  '＝1+2',
  '＋SUM(A1)',
  '－2',
  '＠cmd',
  // Blanks before ordinary text: left alone.
  ' Plain',
];

let passwordHash: string | undefined;

/** Two workspaces, their members, one event each, and `guestCount` guests (hostile values first). */
export async function seedFixture(guestCount = 300): Promise<FixtureGuest[]> {
  passwordHash ??= await hashPassword(PASSWORD);
  const t0 = Date.UTC(2026, 0, 10);
  const db = env.DB;
  const statements = [
    db.prepare("INSERT INTO workspaces VALUES ('wacme', 'Acme Events', ?), ('wglobex', 'Globex', ?)").bind(t0, t0),
    ...Object.values(USERS).flatMap((u) => [
      db
        .prepare('INSERT INTO users (id, email, name, password_hash, created_at, is_operator) VALUES (?, ?, ?, ?, ?, ?)')
        .bind(u.id, u.email, u.email.split('@')[0], passwordHash, t0, u.role === 'admin' && u.workspace === 'wacme' ? 1 : 0),
      db.prepare('INSERT INTO memberships VALUES (?, ?, ?, ?, ?)').bind(u.workspace, u.id, u.role, t0, t0),
    ]),
    db
      .prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(EVENT_ID, 'wacme', 'Acme Summit', 'acme-summit', 'America/New_York', Date.UTC(2026, 8, 1), Date.UTC(2026, 8, 2), t0),
    db
      .prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .bind(
        OTHER_EVENT_ID,
        'wglobex',
        'Globex Expo',
        'globex-expo',
        'Asia/Tokyo',
        Date.UTC(2026, 8, 1),
        Date.UTC(2026, 8, 2),
        t0,
      ),
  ];
  const guests: FixtureGuest[] = [];
  for (let i = 0; i < guestCount; i++) {
    const registered = t0 + i * 3_600_000;
    guests.push({
      id: `g${String(i).padStart(6, '0')}`,
      first_name: HOSTILE_NAMES[i] ?? `First${i}`,
      last_name: `Last${String(i % 97).padStart(3, '0')}`,
      email: `guest${i}@example.test`,
      company: i % 5 === 0 ? `Company, "${i}"` : `Company ${i}`,
      ticket_type: i % 2 ? 'VIP' : 'General',
      rsvp_status: ['attending', 'maybe', 'declined', 'invited'][i % 4] ?? 'attending',
      registered_at: registered,
      checked_in_at: i % 3 === 0 ? registered + 60_000 : null,
      created_at: registered,
    });
  }
  const insertGuest = db.prepare('INSERT INTO guests VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  for (const g of guests) {
    statements.push(
      insertGuest.bind(
        g.id,
        EVENT_ID,
        g.first_name,
        g.last_name,
        g.email,
        g.company,
        g.ticket_type,
        g.rsvp_status,
        g.registered_at,
        g.checked_in_at,
        g.created_at,
        g.created_at,
      ),
    );
  }
  await db.batch(statements);
  return guests;
}

type RequestOptions = RequestInit & { cookie?: string; json?: unknown };

function requestTo(path: string, init: RequestOptions): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set('cookie', init.cookie);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return new Request(`${BASE}${path}`, { ...init, headers, body, redirect: 'manual' });
}

export async function request(path: string, init: RequestOptions = {}): Promise<Response> {
  return exports.default.fetch(requestTo(path, init));
}

/** The app with some env values replaced (a lower threshold, a queue that delivers nothing, the development clock). */
export async function requestWith(overrides: Partial<Env>, path: string, init: RequestOptions = {}): Promise<Response> {
  return app.fetch(requestTo(path, init), { ...env, ...overrides }, createExecutionContext());
}

/** Signs in through the API (or through `send`, an app with other settings) and returns the session cookie to send back. */
export async function login(user: UserKey, send: typeof request = request): Promise<string> {
  const res = await send('/v1/auth/login', { method: 'POST', json: { email: USERS[user].email, password: PASSWORD } });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie') ?? '';
  const match = /voyage_session=([^;]+)/.exec(cookie);
  if (!match) throw new Error('no session cookie');
  return `voyage_session=${match[1]}`;
}

export async function createJob(cookie: string, body: unknown, eventId = EVENT_ID): Promise<Response> {
  return request(`/v1/admin/events/${eventId}/reports/jobs`, { method: 'POST', cookie, json: body });
}

export function jobRow(id: string): Promise<JobRow | null> {
  return env.DB.prepare('SELECT * FROM event_report_jobs WHERE id = ?').bind(id).first<JobRow>();
}

/** The R2 key of the job's artifact, or '' when the job has none. */
export async function artifactKey(jobId: string): Promise<string> {
  const key = await env.DB.prepare('SELECT r2_key FROM event_report_job_artifacts WHERE job_id = ?')
    .bind(jobId)
    .first<string>('r2_key');
  return key ?? '';
}

/** The job's file as text, or '' when there is none. */
export async function artifactText(jobId: string): Promise<string> {
  return (await (await env.REPORTS_BUCKET.get(await artifactKey(jobId)))?.text()) ?? '';
}

/** The size and SHA-256 of the job's file: comparing megabytes of two files element by element takes seconds. */
export async function artifactDigest(jobId: string): Promise<{ size: number; sha256: string }> {
  const object = await env.REPORTS_BUCKET.get(await artifactKey(jobId));
  if (!object) throw new Error(`no object for ${jobId}`);
  const bytes = await object.arrayBuffer();
  return { size: bytes.byteLength, sha256: toHex(await crypto.subtle.digest('SHA-256', bytes)) };
}

/** The running job's lease runs out, as when its runner died: the lifecycle or a redelivery may take it over. */
export async function expireLease(jobId: string): Promise<void> {
  await env.DB.prepare('UPDATE event_report_jobs SET lease_expires_at = 0 WHERE id = ?').bind(jobId).run();
}

/** Waits (without sleeping blindly) until the job reaches one of `statuses`. */
export async function waitForStatus(id: string, statuses: string[], timeout = 15_000): Promise<JobRow> {
  return vi.waitFor(
    async () => {
      const row = await jobRow(id);
      if (!row || !statuses.includes(row.status)) throw new Error(`job ${id} is ${row?.status}`);
      return row;
    },
    { timeout, interval: 25 },
  );
}

/** A queued guest-list job written straight to D1, with no queue message: the test drives the runner. */
export async function insertQueuedJob(overrides: Partial<NewJob> = {}): Promise<JobRow> {
  const now = Date.now();
  const job = await insertJob(env.DB, {
    id: newId(now),
    workspace_id: 'wacme',
    event_id: EVENT_ID,
    type: 'guest-list',
    format: 'csv',
    params: JSON.stringify({ format: 'csv', include_bom: true }),
    requested_by: USERS.organizer.id,
    notify_emails: '[]',
    snapshot_at: now,
    retry_of: null,
    rerun_of: null,
    created_at: now,
    ...overrides,
  });
  if (!job) throw new Error('insert failed');
  return job;
}

/** The hex HMAC-SHA-256 of `message` under the test environment's email webhook secret. */
export async function webhookHmac(message: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode('test-email-webhook-secret'),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(message));
  // Hex written here, not with the Worker's toHex: the signature is checked against an independent encoding.
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The headers the email provider sends: a timestamp, and the HMAC of "<timestamp>.<body>". */
export async function signedWebhookHeaders(body: string, at = Date.now()): Promise<Record<string, string>> {
  const timestamp = String(Math.floor(at / 1000));
  return { 'x-voyage-timestamp': timestamp, 'x-voyage-signature': `sha256=${await webhookHmac(`${timestamp}.${body}`)}` };
}
