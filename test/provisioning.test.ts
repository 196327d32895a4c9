import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Command, CommandError, type Database, runCommand } from '../scripts/admin/commands';
import { inlineSql } from '../src/worker/db/sql';
import { dispatchOutbox } from '../src/worker/email/dispatch';
import { BASE, request, seedFixture, waitForStatus } from './helpers';

// The operator's path from an empty database to an organizer downloading a report of data the
// platform pushed, step by step as the README's deploy guide walks it: the admin command (the very
// SQL `npm run admin` sends through `wrangler d1 execute`, inlined the same way) → invitation
// emails → accepting them → an API token → ingest → a report → its download.
// e2e/provisioning.spec.ts walks the same path with the real command and a browser.

const ORIGIN = 'https://reports.example.com';

/** The admin command's database, as `wrangler d1 execute --command` gets it: values written into the SQL. */
const adminDb: Database = {
  async run(parts) {
    if (parts.length === 0) return [];
    const results = await env.DB.batch(parts.map((p) => env.DB.prepare(inlineSql(p))));
    return results.map((r) => r.results as Record<string, unknown>[]);
  },
};

const admin = (command: Command, now = Date.now()) => runCommand({ db: adminDb, origin: ORIGIN, now }, command);

interface Sent {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Runs the outbox dispatcher with the real EMAIL binding, keeping what it sent. */
async function dispatchEmails(now = Date.now()): Promise<Sent[]> {
  const sent: Sent[] = [];
  const recording = {
    ...env,
    EMAIL: {
      send: async (message: Sent) => {
        sent.push(message);
        return env.EMAIL.send(message);
      },
    },
  } as unknown as typeof env;
  await dispatchOutbox(recording, now);
  return sent;
}

function linkToken(text: string): string {
  const match = /\/invitation#token=([0-9a-f]{64})/.exec(text);
  if (!match?.[1]) throw new Error(`no invitation link in: ${text}`);
  return match[1];
}

async function accept(token: string, body: Record<string, unknown> = {}) {
  return request('/v1/invitations/accept', { method: 'POST', json: { token, ...body } });
}

function cookieOf(res: Response): string {
  const match = /voyage_session=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!match) throw new Error('no session cookie');
  return `voyage_session=${match[1]}`;
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('from the admin command to an organizer downloading a report of ingested data', () => {
  it('walks every step', async () => {
    // 1. The operator creates the workspace and invites its first admin (and themselves as operator).
    const workspace = await admin({ name: 'workspace create', workspaceName: 'Northwind Events' });
    const workspaceId = String(workspace.data.id);
    const operator = await admin({ name: 'invite', email: 'ops@northwind.test', operator: true });
    const invited = await admin({
      name: 'invite',
      email: 'avery@northwind.test',
      workspace: 'Northwind Events',
      role: 'admin',
      operator: false,
    });
    expect(invited.data).toMatchObject({ workspace_id: workspaceId, role: 'admin' });
    const printed = linkToken(String(invited.data.url));
    expect(String(invited.data.url).startsWith(`${ORIGIN}/invitation#token=`)).toBe(true);
    // Only hashes are stored: neither the printed link's secret nor any other appears in the database.
    const dump = JSON.stringify(
      (
        await env.DB.batch([
          env.DB.prepare('SELECT * FROM invitation_links'),
          env.DB.prepare('SELECT * FROM notification_outbox'),
        ])
      ).map((r) => r.results),
    );
    expect(dump).not.toContain(printed);

    // 2. The dispatcher emails each invitation with a link of its own.
    const emails = await dispatchEmails();
    const toAdmin = emails.find((m) => m.to === 'avery@northwind.test');
    expect(toAdmin?.subject).toBe('Join Northwind Events on Voyage Reports');
    expect(toAdmin?.text).toContain('to join Northwind Events as an admin');
    const emailed = linkToken(toAdmin?.text ?? '');
    expect(emailed).not.toBe(printed);
    expect(emails.find((m) => m.to === 'ops@northwind.test')?.subject).toBe('Your Voyage Reports operator account');

    // 3. The admin opens the emailed link, sees what it offers, chooses a password, and is signed in.
    const inspected = await request('/v1/invitations/inspect', { method: 'POST', json: { token: emailed } });
    expect(await inspected.json()).toMatchObject({
      email: 'avery@northwind.test',
      workspace_name: 'Northwind Events',
      role: 'admin',
      operator: false,
      account_exists: false,
    });
    const accepted = await accept(emailed, { name: 'Avery Admin', password: 'northwind-admin-pw' });
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toMatchObject({ accepted: true, signed_in: true });
    const adminCookie = cookieOf(accepted);
    const me = await request('/v1/me', { cookie: adminCookie });
    expect(await me.json()).toMatchObject({
      user: { email: 'avery@northwind.test', name: 'Avery Admin', is_operator: false },
      memberships: [{ workspace_id: workspaceId, workspace_name: 'Northwind Events', role: 'admin' }],
    });
    // One-time: the printed link of the same invitation, and the emailed one again, are used up.
    for (const token of [printed, emailed]) {
      const again = await accept(token, { name: 'Mallory', password: 'another-password' });
      expect(again.status).toBe(410);
      expect((await again.json<{ error: { code: string } }>()).error.code).toBe('invitation_used');
    }
    // The password works for a normal sign-in.
    const signIn = await request('/v1/auth/login', {
      method: 'POST',
      json: { email: 'avery@northwind.test', password: 'northwind-admin-pw' },
    });
    expect(signIn.status).toBe(200);

    // The operator's printed link makes an operator account with no workspace.
    const opAccepted = await accept(linkToken(String(operator.data.url)), {
      name: 'Olu Operator',
      password: 'operator-password',
    });
    expect(opAccepted.status).toBe(200);
    expect(await (await request('/v1/me', { cookie: cookieOf(opAccepted) })).json()).toMatchObject({
      user: { is_operator: true },
      memberships: [],
    });
    expect((await admin({ name: 'operator list' })).data.operators).toEqual([
      expect.objectContaining({ email: 'ops@northwind.test' }),
    ]);

    // 4. The admin makes an API token for the platform (shown once), and the platform pushes an event.
    const made = await request(`/v1/admin/workspaces/${workspaceId}/api-tokens`, {
      method: 'POST',
      cookie: adminCookie,
      json: { name: 'Voyage platform sync' },
    });
    expect(made.status).toBe(201);
    const { token } = await made.json<{ token: string }>();
    expect(token).toMatch(/^vrt_[0-9a-z]{26}_[0-9a-f]{64}$/);
    const tokenInfo = await request('/v1/api/token', { headers: bearer(token) });
    expect(await tokenInfo.json()).toMatchObject({ workspace_id: workspaceId, role: 'admin', name: 'Voyage platform sync' });

    const eventId = 'evnorthwindexpo';
    const pushEvent = await request('/v1/api/events', {
      method: 'PUT',
      headers: bearer(token),
      json: {
        data: [
          {
            id: eventId,
            name: 'Northwind Expo',
            slug: 'northwind-expo',
            time_zone: 'Europe/Berlin',
            starts_at: Date.UTC(2026, 9, 1, 8),
            ends_at: Date.UTC(2026, 9, 1, 18),
          },
        ],
      },
    });
    expect(await pushEvent.json()).toEqual({ table: 'events', received: 1, written: 1, unchanged: 0 });
    const guests = [
      { first: 'Ada', last: 'Lovelace' },
      { first: '=HYPERLINK("x")', last: 'Formula' },
      { first: 'مرحبا', last: 'العربية' },
      { first: '🎉 Party', last: 'Emoji 👩‍💻' },
    ].map((g, i) => ({
      id: `plat-guest-${i}`,
      first_name: g.first,
      last_name: g.last,
      email: `guest${i}@northwind.test`,
      ticket_type: 'General',
      rsvp_status: 'attending',
      registered_at: Date.UTC(2026, 5, 1 + i),
    }));
    const pushGuests = await request(`/v1/api/events/${eventId}/guests`, {
      method: 'PUT',
      headers: bearer(token),
      json: { data: guests },
    });
    expect(await pushGuests.json()).toEqual({ table: 'guests', received: 4, written: 4, unchanged: 0 });

    // 5. The admin invites an organizer from the workspace settings; the organizer accepts by email.
    const invite = await request(`/v1/admin/workspaces/${workspaceId}/invitations`, {
      method: 'POST',
      cookie: adminCookie,
      json: { email: 'olivia@northwind.test', role: 'organizer' },
    });
    expect(invite.status).toBe(201);
    const organizerEmail = (await dispatchEmails()).find((m) => m.to === 'olivia@northwind.test');
    expect(organizerEmail?.text).toContain('Avery Admin invited you to join Northwind Events as an organizer');
    const organizerAccepted = await accept(linkToken(organizerEmail?.text ?? ''), {
      name: 'Olivia Organizer',
      password: 'organizer-password',
    });
    const organizer = cookieOf(organizerAccepted);

    // 6. The organizer asks for the guest list in the report center and downloads it.
    const created = await request(`/v1/admin/events/${eventId}/reports/jobs`, {
      method: 'POST',
      cookie: organizer,
      json: { type: 'guest-list', params: { format: 'csv', include_bom: false } },
    });
    expect(created.status).toBe(201);
    const job = await created.json<{ job_id: string }>();
    await waitForStatus(job.job_id, ['completed']);
    const listed = await request(`/v1/admin/events/${eventId}/reports/jobs/${job.job_id}`, { cookie: organizer });
    const { download_url } = await listed.json<{ download_url: string }>();
    const file = await request(download_url, { cookie: organizer });
    expect(file.status).toBe(200);
    const rows = parse(await file.text(), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r['First name']).sort()).toEqual(['\'=HYPERLINK("x")', 'Ada', 'مرحبا', '🎉 Party'].sort());

    // 7. The platform asks for the same report with its token, polls it and downloads it.
    const viaToken = await request(`/v1/api/events/${eventId}/reports/jobs`, {
      method: 'POST',
      headers: bearer(token),
      json: { type: 'guest-list', params: { format: 'csv', include_bom: false } },
    });
    expect(viaToken.status).toBe(201);
    const tokenJob = await viaToken.json<{ job_id: string; requested_by_name: string }>();
    expect(tokenJob.requested_by_name).toBe('Voyage platform sync (API token)');
    await waitForStatus(tokenJob.job_id, ['completed']);
    const polled = await request(`/v1/api/events/${eventId}/reports/jobs/${tokenJob.job_id}`, { headers: bearer(token) });
    const polledJob = await polled.json<{ status: string; download_url: string }>();
    expect(polledJob).toMatchObject({
      status: 'completed',
      download_url: `/v1/api/events/${eventId}/reports/jobs/${tokenJob.job_id}/download`,
    });
    const tokenFile = await request(polledJob.download_url, { headers: bearer(token) });
    expect(tokenFile.status).toBe(200);
    expect(parse(await tokenFile.text(), { columns: true })).toEqual(rows);
  });
});

describe('invitations', () => {
  let workspaceId: string;

  beforeAll(async () => {
    await seedFixture(5);
    workspaceId = String((await admin({ name: 'workspace create', workspaceName: 'Invite Co' })).data.id);
  });

  const inviteTo = async (email: string, role = 'viewer', now = Date.now()) =>
    linkToken(String((await admin({ name: 'invite', email, workspace: workspaceId, role, operator: false }, now)).data.url));

  it('expire, and a newer invitation of the same address revokes the older one', async () => {
    const old = await inviteTo('late@invite.test', 'viewer', Date.now() - 8 * 86_400_000);
    const expired = await accept(old, { name: 'Late', password: 'late-password' });
    expect(expired.status).toBe(410);
    expect((await expired.json<{ error: { code: string } }>()).error.code).toBe('invitation_expired');

    const first = await inviteTo('twice@invite.test');
    const second = await inviteTo('twice@invite.test', 'organizer');
    const refused = await accept(first, { name: 'Twice', password: 'twice-password' });
    expect(refused.status).toBe(410);
    expect((await refused.json<{ error: { code: string } }>()).error.code).toBe('invitation_revoked');
    const ok = await accept(second, { name: 'Twice', password: 'twice-password' });
    expect(await ok.json()).toMatchObject({ signed_in: true, memberships: [{ workspace_id: workspaceId, role: 'organizer' }] });
  });

  it('ask a new account for a name and a long enough password; refuse unknown links', async () => {
    const token = await inviteTo('new@invite.test');
    const noPassword = await accept(token, { name: 'New' });
    expect(noPassword.status).toBe(400);
    expect((await noPassword.json<{ error: { message: string } }>()).error.message).toMatch(/^password: /);
    const short = await accept(token, { name: 'New', password: 'short' });
    expect(short.status).toBe(400);
    const noName = await accept(token, { password: 'long enough password' });
    expect((await noName.json<{ error: { message: string } }>()).error.message).toBe('name: Enter your name.');
    // Nothing was used up by the refusals.
    expect((await accept(token, { name: 'New', password: 'long enough password' })).status).toBe(200);
    const unknown = await accept('0'.repeat(64), { name: 'X', password: 'long enough password' });
    expect(unknown.status).toBe(404);
    expect((await request('/v1/invitations/inspect', { method: 'POST', json: { token: 'not-hex' } })).status).toBe(404);
  });

  it('add an existing account to the workspace without touching its password or signing it in', async () => {
    const token = await inviteTo('viewer@acme.test', 'admin');
    const inspected = await request('/v1/invitations/inspect', { method: 'POST', json: { token } });
    expect(await inspected.json()).toMatchObject({ account_exists: true });
    const res = await accept(token, { name: 'Someone Else', password: 'a different password' });
    expect(await res.json()).toMatchObject({ accepted: true, signed_in: false });
    expect(res.headers.get('set-cookie')).toBeNull();
    const user = await env.DB.prepare('SELECT name FROM users WHERE email = ?').bind('viewer@acme.test').first();
    expect(user).toEqual({ name: 'viewer' });
    const login = await request('/v1/auth/login', {
      method: 'POST',
      json: { email: 'viewer@acme.test', password: 'correct horse battery' },
    });
    expect(await login.json()).toMatchObject({
      memberships: expect.arrayContaining([{ workspace_id: workspaceId, workspace_name: 'Invite Co', role: 'admin' }]),
    });
  });

  it('operator add flags an existing account, and refuses what is not an email or names no workspace', async () => {
    expect((await admin({ name: 'operator add', email: 'organizer@acme.test' })).data).toEqual({
      email: 'organizer@acme.test',
      operator: true,
      invited: false,
    });
    expect(await env.DB.prepare("SELECT is_operator FROM users WHERE email = 'organizer@acme.test'").first()).toEqual({
      is_operator: 1,
    });
    await admin({ name: 'operator remove', email: 'organizer@acme.test' });
    expect(await env.DB.prepare("SELECT is_operator FROM users WHERE email = 'organizer@acme.test'").first()).toEqual({
      is_operator: 0,
    });
    await expect(admin({ name: 'invite', email: 'nobody', operator: true })).rejects.toThrow(CommandError);
    await expect(admin({ name: 'invite', email: 'x@tokens.voyage.invalid', operator: true })).rejects.toThrow(/invalid/);
    await expect(
      admin({ name: 'invite', email: 'a@b.test', workspace: 'No Such Co', role: 'viewer', operator: false }),
    ).rejects.toThrow('No workspace "No Such Co"');
    await expect(admin({ name: 'invite', email: 'a@b.test', operator: false })).rejects.toThrow(/--operator/);
  });

  it('are emailed only while open, with a link to the app origin', async () => {
    const token = await inviteTo('mail@invite.test');
    await accept(token, { name: 'Mail', password: 'mail-password' });
    const sent = await dispatchEmails();
    expect(sent.filter((m) => m.to === 'mail@invite.test')).toEqual([]);
    const row = await env.DB.prepare(
      "SELECT status, last_error FROM notification_outbox WHERE kind = 'invitation' AND recipient = 'mail@invite.test'",
    ).first();
    expect(row).toEqual({ status: 'failed', last_error: 'the invitation is accepted' });
    await inviteTo('link@invite.test');
    const [email] = (await dispatchEmails()).filter((m) => m.to === 'link@invite.test');
    expect(email?.text).toContain(`${env.APP_ORIGIN}/invitation#token=`);
    expect(email?.html).toContain(`${env.APP_ORIGIN}/invitation#token=`);
  });
});

describe('the admin command', () => {
  it('makes, lists and revokes API tokens; a revoked token is refused at once', async () => {
    await admin({ name: 'workspace create', workspaceName: 'Token Co' });
    const made = await admin({ name: 'token create', workspace: 'token co', tokenName: 'CRM sync', role: 'viewer' });
    const token = String(made.data.token);
    expect((await request('/v1/api/token', { headers: bearer(token) })).status).toBe(200);
    const listed = await admin({ name: 'token list', workspace: 'Token Co' });
    expect(JSON.stringify(listed.data)).not.toContain(token.slice(-64));
    expect(listed.data.tokens).toEqual([expect.objectContaining({ name: 'CRM sync', role: 'viewer', revoked_at: null })]);
    await admin({ name: 'token revoke', tokenId: String(made.data.id) });
    expect((await request('/v1/api/token', { headers: bearer(token) })).status).toBe(401);
    await expect(admin({ name: 'token revoke', tokenId: String(made.data.id) })).rejects.toThrow('already revoked');
    const listedWorkspaces = await admin({ name: 'workspace list' });
    expect(listedWorkspaces.lines[0]).toMatch(/^id\s+name\s+members\s+events\s+api_tokens$/);
  });

  it('writes names with quotes and semicolons as data', async () => {
    const made = await admin({ name: 'workspace create', workspaceName: "O'Brien; DROP TABLE users; --" });
    expect(await env.DB.prepare('SELECT name FROM workspaces WHERE id = ?').bind(String(made.data.id)).first()).toEqual({
      name: "O'Brien; DROP TABLE users; --",
    });
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM users').first()).toMatchObject({ n: expect.any(Number) });
    await expect(admin({ name: 'workspace create', workspaceName: 'Tab\there' })).rejects.toThrow(/control/);
  });
});

describe('the Worker refuses to run without its configuration', () => {
  it('answers a readable 503 naming the missing secret', async () => {
    const worker = (await import('../src/worker/index')).default;
    const ctx = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} } as unknown as ExecutionContext;
    const broken = { ...env, REPORT_DOWNLOAD_SIGNING_SECRET: '', APP_ORIGIN: 'not a url' } as typeof env;
    const res = await worker.fetch(new Request(`${BASE}/v1/auth/session`), broken, ctx);
    expect(res.status).toBe(503);
    const body = await res.json<{ error: { code: string; message: string } }>();
    expect(body.error.code).toBe('misconfigured');
    expect(body.error.message).toContain(
      'REPORT_DOWNLOAD_SIGNING_SECRET is not set (npx wrangler secret put REPORT_DOWNLOAD_SIGNING_SECRET)',
    );
    expect(body.error.message).toContain('APP_ORIGIN must be');
    const short = { ...env, REPORT_DOWNLOAD_SIGNING_SECRET: 'short' } as typeof env;
    const res2 = await worker.fetch(new Request(`${BASE}/v1/auth/session`), short, ctx);
    expect((await res2.json<{ error: { message: string } }>()).error.message).toContain('at least 32 characters');
    const fine = await worker.fetch(new Request(`${BASE}/v1/auth/session`), env, ctx);
    expect(fine.status).toBe(200);
  });
});
