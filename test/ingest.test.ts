import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TokenRole } from '../src/worker/auth/roles';
import { createApiTokenParts, newApiToken } from '../src/worker/db/api-tokens';
import { MAX_BOUND_PARAMETERS, upsertParts } from '../src/worker/db/ingest';
import { prepare } from '../src/worker/db/sql';
import { VERSIONS_OF } from '../src/worker/db/versions';
import { INGEST_TABLE_NAMES, INGEST_TABLES, MAX_BATCH_ROWS } from '../src/worker/ingest/tables';
import { runReportJob } from '../src/worker/jobs/runner';
import {
  EVENT_ID,
  type FixtureGuest,
  insertQueuedJob,
  login,
  OTHER_EVENT_ID,
  request,
  seedFixture,
  USERS,
  waitForStatus,
} from './helpers';
import { buildSourceFixture, generateReport, REPORT_TYPE_KEYS, readArtifact, seedSourceFixture } from './reports-fixture';

// The ingest API: the platform's rows in batches, idempotent by its own ids, through the version
// triggers (so report snapshots stay exact), scoped to the token's workspace, checked like members.

const tokens: Partial<Record<'admin' | 'organizer' | 'viewer' | 'globex', string>> = {};
let guests: FixtureGuest[];
let organizer: string;

async function makeToken(workspace: string, role: TokenRole): Promise<string> {
  const now = Date.now();
  const fresh = await newApiToken(now);
  const parts = createApiTokenParts({
    id: fresh.id,
    workspace_id: workspace,
    name: `${role} token`,
    role,
    secretHash: fresh.secretHash,
    created_by: null,
    now,
  });
  await env.DB.batch(parts.map((p) => prepare(env.DB, p)));
  return fresh.token;
}

beforeAll(async () => {
  guests = await seedFixture(40);
  await seedSourceFixture(guests);
  tokens.admin = await makeToken('wacme', 'admin');
  tokens.organizer = await makeToken('wacme', 'organizer');
  tokens.viewer = await makeToken('wacme', 'viewer');
  tokens.globex = await makeToken('wglobex', 'admin');
  organizer = await login('organizer');
});

function api(path: string, init: { method?: string; json?: unknown; token?: string; body?: string } = {}) {
  return request(`/v1/api${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${init.token ?? tokens.admin}` },
    ...(init.json !== undefined ? { json: init.json } : {}),
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

const put = (path: string, data: unknown[], token?: string) => api(path, { method: 'PUT', json: { data }, token });
const del = (path: string, ids: string[], token?: string) => api(`${path}/delete`, { method: 'POST', json: { ids }, token });

async function errorOf(res: Response): Promise<{ status: number; code: string; message: string }> {
  const body = await res.json<{ error: { code: string; message: string } }>();
  return { status: res.status, ...body.error };
}

async function versionCount(): Promise<number> {
  let n = 0;
  for (const table of Object.values(VERSIONS_OF))
    n += (await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table}`).first<number>('n')) ?? 0;
  return n;
}

/** The fixture's source rows as the platform would push them, under new ids (prefix `p-`) for another event. */
function platformRows(): Record<string, Record<string, unknown>[]> {
  const f = buildSourceFixture(guests);
  const p = (id: string | null) => (id === null ? null : `p-${id}`);
  return {
    guests: guests.map((g) => ({
      id: p(g.id),
      first_name: g.first_name,
      last_name: g.last_name,
      email: g.email,
      company: g.company,
      ticket_type: g.ticket_type,
      rsvp_status: g.rsvp_status,
      registered_at: g.registered_at,
      checked_in_at: g.checked_in_at,
    })),
    ticket_types: f.ticketTypes.map((t) => ({ ...t, id: p(t.id) })),
    ticket_blocks: f.blocks.map((b) => ({ ...b, id: p(b.id), ticket_type_id: p(b.ticket_type_id) })),
    orders: f.orders.map(({ created_at: _c, ...o }) => ({ ...o, id: p(o.id) })),
    order_items: f.items.map(({ created_at: _c, ...i }) => ({
      ...i,
      id: p(i.id),
      order_id: p(i.order_id),
      ticket_type_id: p(i.ticket_type_id),
      ticket_block_id: p(i.ticket_block_id),
    })),
    check_ins: f.checkIns.map((c) => ({ ...c, id: p(c.id), guest_id: p(c.guest_id) })),
    sponsors: f.sponsors.map((s) => ({ ...s, id: p(s.id) })),
    sponsor_leads: f.leads.map((l) => ({ ...l, id: p(l.id), sponsor_id: p(l.sponsor_id) })),
    email_messages: f.messages.map((m) => ({ ...m, id: p(m.id), subject: `Subject of ${m.campaign}` })),
    email_events: f.emailEvents.map((e) => ({ ...e, id: p(e.id), message_id: p(e.message_id) })),
    activity_log: f.activities.map((a) => ({ ...a, id: p(a.id) })),
  };
}

describe('pushing an event through the API', () => {
  it('gives every report the same file as the same data written straight to the database', async () => {
    const pushed = 'evpushed';
    const event = await env.DB.prepare('SELECT * FROM events WHERE id = ?').bind(EVENT_ID).first<Record<string, unknown>>();
    const res = await put('/events', [
      {
        id: pushed,
        name: event?.name,
        slug: event?.slug,
        time_zone: event?.time_zone,
        starts_at: event?.starts_at,
        ends_at: event?.ends_at,
      },
    ]);
    expect(await res.json()).toEqual({ table: 'events', received: 1, written: 1, unchanged: 0 });
    // Parents before children: the order a platform pushes in.
    for (const [table, rows] of Object.entries(platformRows())) {
      const pushedRows = await put(`/events/${pushed}/${table}`, rows);
      expect(await pushedRows.json(), table).toEqual({ table, received: rows.length, written: rows.length, unchanged: 0 });
    }
    const differ: string[] = [];
    for (const type of REPORT_TYPE_KEYS.filter((t) => t !== 'audit-log')) {
      const params = { format: 'csv', include_bom: false };
      const seeded = new TextDecoder().decode((await generateReport(organizer, type, params)).bytes);
      const viaApi = new TextDecoder().decode((await generateReport(organizer, type, params, pushed)).bytes);
      if (viaApi !== seeded) differ.push(type);
      expect(seeded.split('\n').length, `${type} has rows`).toBeGreaterThan(1);
    }
    expect(differ).toEqual([]);
  });
});

describe('upserts', () => {
  const path = `/events/${EVENT_ID}/guests`;
  const guestRow = (id: string, first_name: string) => ({
    id,
    first_name,
    last_name: 'Upsert',
    email: `${id}@example.test`,
    ticket_type: 'General',
    rsvp_status: 'attending',
    registered_at: Date.UTC(2026, 1, 1),
  });

  it('are idempotent: a replay writes nothing and keeps no version; a change keeps exactly one', async () => {
    const rows = [guestRow('idem-1', 'Ann'), guestRow('idem-2', 'Bob')];
    expect(await (await put(path, rows)).json()).toMatchObject({ written: 2, unchanged: 0 });
    const stored = () =>
      env.DB.prepare("SELECT first_name, created_at, updated_at FROM guests WHERE id = 'idem-1'").first<{
        first_name: string;
        created_at: number;
        updated_at: number;
      }>();
    const first = await stored();
    const versions = await versionCount();
    expect(await (await put(path, rows)).json()).toMatchObject({ written: 0, unchanged: 2 });
    expect(await versionCount()).toBe(versions);
    expect(await stored()).toEqual(first);

    const changed = await put(path, [guestRow('idem-1', 'Anne'), guestRow('idem-2', 'Bob')]);
    expect(await changed.json()).toMatchObject({ written: 1, unchanged: 1 });
    expect(await versionCount()).toBe(versions + 1);
    const now = await stored();
    expect(now?.first_name).toBe('Anne');
    expect(now?.created_at).toBe(first?.created_at); // kept: it says when the row arrived
    expect(now?.updated_at).toBeGreaterThanOrEqual(first?.updated_at ?? 0);
    const version = await env.DB.prepare("SELECT first_name FROM guest_versions WHERE id = 'idem-1'").first();
    expect(version).toEqual({ first_name: 'Ann' });
  });

  it('keep a report asked for before them exact, byte for byte', async () => {
    const snapshotAt = Date.now();
    const job = await insertQueuedJob({ snapshot_at: snapshotAt });
    // After the snapshot on both clocks: the Worker's (created_at) and the database's (versions).
    while (
      Date.now() <= snapshotAt ||
      ((await env.DB.prepare("SELECT CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) AS t").first<number>('t')) ??
        0) <= snapshotAt
    ) {
      // each query is the wait
    }
    const before = await insertQueuedJob({ snapshot_at: snapshotAt });
    expect(await runReportJob(env, before.id)).toBe('completed');
    const expected = new TextDecoder().decode((await readArtifact(before.id)).bytes);

    const target = guests[5] as FixtureGuest;
    await put(path, [{ ...guestRow(target.id, 'Renamed'), last_name: target.last_name }, guestRow('snap-new', 'Newcomer')]);
    const checkIns = await env.DB.prepare('SELECT id FROM check_ins WHERE guest_id = ?')
      .bind(guests[7]?.id)
      .all<{ id: string }>();
    await del(
      `/events/${EVENT_ID}/check_ins`,
      checkIns.results.map((r) => r.id),
    );
    const gone = await del(path, [guests[7]?.id ?? '']);
    expect(await gone.json()).toMatchObject({ deleted: 1 });

    expect(await runReportJob(env, job.id)).toBe('completed');
    expect(new TextDecoder().decode((await readArtifact(job.id)).bytes)).toBe(expected);
    const later = await insertQueuedJob({ snapshot_at: Date.now() });
    expect(await runReportJob(env, later.id)).toBe('completed');
    const now = new TextDecoder().decode((await readArtifact(later.id)).bytes);
    expect(now).toContain('Renamed');
    expect(now).toContain('Newcomer');
    expect(now).not.toContain(guests[7]?.email);
  });

  it('bind at most 100 values per statement, for every table, at the largest batch', () => {
    for (const table of INGEST_TABLE_NAMES) {
      const columns = Object.keys(INGEST_TABLES[table].row.shape);
      const rows = Array.from({ length: MAX_BATCH_ROWS }, (_, i) => Object.fromEntries(columns.map((c) => [c, `${c}${i}`])));
      const parts = upsertParts({
        table,
        scope: { column: 'event_id', value: 'e' },
        columns,
        rows,
        hasUpdatedAt: INGEST_TABLES[table].hasUpdatedAt,
        now: 1,
      });
      for (const part of parts) {
        expect(part.values.length).toBeLessThanOrEqual(MAX_BOUND_PARAMETERS);
        expect(part.sql.split('?').length - 1).toBe(part.values.length);
      }
      expect(parts.reduce((n, p) => n + p.values.length, 0)).toBe(
        MAX_BATCH_ROWS * (columns.length + 2 + (INGEST_TABLES[table].hasUpdatedAt ? 1 : 0)),
      );
    }
  });

  it('take the largest batch in one request', async () => {
    const rows = Array.from({ length: MAX_BATCH_ROWS }, (_, i) => guestRow(`bulk-${i}`, `Bulk ${i}`));
    expect(await (await put(path, rows)).json()).toMatchObject({ received: MAX_BATCH_ROWS, written: MAX_BATCH_ROWS });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM guests WHERE id LIKE 'bulk-%'").first<number>('n')).toBe(
      MAX_BATCH_ROWS,
    );
    const tooMany = await put(path, [...rows, guestRow('bulk-x', 'X')]);
    expect(await errorOf(tooMany)).toMatchObject({ status: 400, message: expect.stringMatching(/^data: /) });
  });
});

describe('refusals', () => {
  it('name the field of a bad row, and write nothing of the batch', async () => {
    const ok = { id: 'val-1', name: 'Gold', tier: 'gold' };
    const cases: [unknown, RegExp][] = [
      [[ok, { id: 'val-2', name: 'Tin', tier: 'tin' }], /^data\.1\.tier: /],
      [[{ ...ok, extra: 1 }], /^data\.0: /],
      [[ok, ok], /^data\.1\.id: duplicate id "val-1"/],
      [[{ ...ok, id: 'has space' }], /^data\.0\.id: /],
      [[{ id: 'val-3', tier: 'gold' }], /^data\.0\.name: /],
    ];
    for (const [data, message] of cases) {
      const res = await api(`/events/${EVENT_ID}/sponsors`, { method: 'PUT', json: { data } });
      expect(await errorOf(res)).toMatchObject({
        status: 400,
        code: 'validation_failed',
        message: expect.stringMatching(message),
      });
    }
    expect(await errorOf(await api(`/events/${EVENT_ID}/sponsors`, { method: 'PUT', body: '{oops' }))).toMatchObject({
      status: 400,
      code: 'invalid_json',
    });
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM sponsors WHERE id LIKE 'val-%'").first<number>('n')).toBe(0);
  });

  it('refuse a row naming another event’s row, or one not pushed yet', async () => {
    const other = await env.DB.prepare(
      "INSERT INTO guests VALUES ('globex-guest', ?, 'G', 'X', 'g@x.test', '', 'VIP', 'attending', 0, NULL, 0, 0) RETURNING id",
    )
      .bind(OTHER_EVENT_ID)
      .first();
    expect(other).toBeTruthy();
    const checkIn = { id: 'ref-1', guest_id: 'globex-guest', scanned_at: 1, entrance: 'A', device: 'd', scanned_by: 's' };
    expect(await errorOf(await put(`/events/${EVENT_ID}/check_ins`, [checkIn]))).toEqual({
      status: 400,
      code: 'unknown_reference',
      message: 'data.0.guest_id: no guests row "globex-guest" in this event; push it first.',
    });
    const item = { id: 'ref-2', order_id: 'no-such-order', ticket_type_id: 'tta', quantity: 1, unit_price_cents: 1 };
    expect(await errorOf(await put(`/events/${EVENT_ID}/order_items`, [item]))).toMatchObject({
      code: 'unknown_reference',
      message: /order_id/,
    });
  });

  it('never take over another event’s or workspace’s row by its id', async () => {
    // Globex's token pushes a guest under an id Acme's event uses.
    const acmeGuest = guests[0] as FixtureGuest;
    const res = await put(
      `/events/${OTHER_EVENT_ID}/guests`,
      [
        {
          id: acmeGuest.id,
          first_name: 'Hijack',
          last_name: 'X',
          email: 'x@x.test',
          ticket_type: 'VIP',
          rsvp_status: 'attending',
          registered_at: 0,
        },
      ],
      tokens.globex,
    );
    expect(await errorOf(res)).toMatchObject({ status: 409, code: 'id_conflict' });
    expect(await env.DB.prepare('SELECT first_name, event_id FROM guests WHERE id = ?').bind(acmeGuest.id).first()).toEqual({
      first_name: acmeGuest.first_name,
      event_id: EVENT_ID,
    });
    // …nor an Acme event id, nor reach an Acme event at all.
    const event = { id: EVENT_ID, name: 'Hijack', slug: 'hijack', time_zone: 'UTC', starts_at: 0, ends_at: 0 };
    expect(await errorOf(await put('/events', [event], tokens.globex))).toMatchObject({ status: 409, code: 'id_conflict' });
    expect(await env.DB.prepare('SELECT workspace_id, name FROM events WHERE id = ?').bind(EVENT_ID).first()).toEqual({
      workspace_id: 'wacme',
      name: 'Acme Summit',
    });
    expect((await put(`/events/${EVENT_ID}/guests`, [], tokens.globex)).status).toBe(404);
    expect((await del(`/events/${EVENT_ID}/guests`, [acmeGuest.id], tokens.globex)).status).toBe(404);
    expect((await api(`/events/${EVENT_ID}/reports/jobs`, { token: tokens.globex })).status).toBe(404);
  });

  it('refuse to delete rows others still name, and events with rows or reports', async () => {
    const guest = guests[3] as FixtureGuest;
    const named = await env.DB.prepare('SELECT COUNT(*) AS n FROM check_ins WHERE guest_id = ?')
      .bind(guest.id)
      .first<number>('n');
    expect(named).toBeGreaterThan(0);
    expect(await errorOf(await del(`/events/${EVENT_ID}/guests`, [guest.id, 'unknown-id']))).toMatchObject({
      status: 409,
      code: 'still_referenced',
    });
    expect(await env.DB.prepare('SELECT COUNT(*) AS n FROM guests WHERE id = ?').bind(guest.id).first<number>('n')).toBe(1);
    expect(await errorOf(await del('/events', [EVENT_ID]))).toMatchObject({ status: 409, code: 'still_referenced' });
    // An event with nothing in it goes; an unknown id is ignored.
    await put('/events', [{ id: 'evempty', name: 'Empty', slug: 'empty', time_zone: 'UTC', starts_at: 0, ends_at: 1 }]);
    expect(await (await del('/events', ['evempty', 'evnothere'])).json()).toEqual({ table: 'events', received: 2, deleted: 1 });
    expect(
      await errorOf(
        await put('/events', [{ id: 'evtz', name: 'Tz', slug: 'tz', time_zone: 'Mars/Olympus', starts_at: 0, ends_at: 1 }]),
      ),
    ).toMatchObject({
      status: 400,
      message: expect.stringMatching(/^data\.0\.time_zone: /),
    });
  });

  it('turn away a body over 5 MB before reading it', async () => {
    const res = await api(`/events/${EVENT_ID}/guests`, {
      method: 'PUT',
      body: JSON.stringify({ data: [], pad: 'x'.repeat(5 * 1024 * 1024) }),
    });
    expect(await errorOf(res)).toMatchObject({ status: 413, code: 'body_too_large' });
  });
});

describe('tokens', () => {
  it('are checked like a member of their role', async () => {
    const guest = [
      {
        id: 'role-1',
        first_name: 'R',
        last_name: 'R',
        email: 'r@r.test',
        ticket_type: 'VIP',
        rsvp_status: 'maybe',
        registered_at: 0,
      },
    ];
    expect((await put(`/events/${EVENT_ID}/guests`, guest, tokens.organizer)).status).toBe(403);
    expect((await put(`/events/${EVENT_ID}/guests`, guest, tokens.viewer)).status).toBe(403);
    expect((await put('/events', [], tokens.viewer)).status).toBe(403);
    const create = (token: string | undefined, type: string) =>
      api(`/events/${EVENT_ID}/reports/jobs`, { method: 'POST', token, json: { type, params: { format: 'csv' } } });
    expect((await create(tokens.viewer, 'audit-log')).status).toBe(403);
    expect((await create(tokens.organizer, 'audit-log')).status).toBe(403);
    const adminAudit = await create(tokens.admin, 'audit-log');
    expect(adminAudit.status).toBe(201);
    const auditJob = await adminAudit.json<{ job_id: string }>();
    const viewerJob = await create(tokens.viewer, 'guest-list');
    expect(viewerJob.status).toBe(201);
    await waitForStatus(auditJob.job_id, ['completed']);
    // The audit-log job is invisible to an organizer's token, in the list and by id, and its file too.
    const listed = await api(`/events/${EVENT_ID}/reports/jobs?limit=100`, { token: tokens.organizer });
    const types = (await listed.json<{ data: { type: string }[] }>()).data.map((j) => j.type);
    expect(types).toContain('guest-list');
    expect(types).not.toContain('audit-log');
    expect((await api(`/events/${EVENT_ID}/reports/jobs/${auditJob.job_id}`, { token: tokens.organizer })).status).toBe(404);
    expect((await api(`/events/${EVENT_ID}/reports/jobs/${auditJob.job_id}/download`, { token: tokens.organizer })).status).toBe(
      404,
    );
    const file = await api(`/events/${EVENT_ID}/reports/jobs/${auditJob.job_id}/download`);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="acme-summit_audit-log/);
    // A job still in the queue is not a file yet.
    const queued = await insertQueuedJob({ requested_by: USERS.organizer.id });
    expect(await errorOf(await api(`/events/${EVENT_ID}/reports/jobs/${queued.id}/download`))).toMatchObject({
      status: 409,
      code: 'still_preparing',
    });
  });

  it('are refused alike when missing, malformed, unknown, wrong or revoked; a session cookie is no token', async () => {
    const noHeader = await request('/v1/api/token');
    expect(await errorOf(noHeader)).toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(noHeader.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const valid = tokens.viewer ?? '';
    const wrongSecret = `${valid.slice(0, -1)}${valid.endsWith('0') ? '1' : '0'}`;
    const unknownId = `vrt_${'0'.repeat(26)}_${valid.slice(-64)}`;
    const messages = new Set<string>();
    for (const token of ['nonsense', wrongSecret, unknownId]) {
      const refused = await errorOf(await api('/token', { token }));
      expect(refused).toMatchObject({ status: 401, code: 'invalid_token' });
      messages.add(refused.message);
    }
    expect(messages.size).toBe(1);
    const cookie = await login('admin');
    expect((await request('/v1/api/token', { cookie })).status).toBe(401);

    const admin = await login('admin');
    const made = await request('/v1/admin/workspaces/wacme/api-tokens', {
      method: 'POST',
      cookie: admin,
      json: { name: 'Short-lived', role: 'viewer' },
    });
    const { token, api_token } = await made.json<{ token: string; api_token: { id: string; last_used_at: number | null } }>();
    expect(api_token.last_used_at).toBeNull();
    expect((await api('/token', { token })).status).toBe(200);
    const list = async () =>
      (
        await (
          await request('/v1/admin/workspaces/wacme/api-tokens', { cookie: admin })
        ).json<{ data: { id: string; last_used_at: number | null; revoked_at: number | null }[] }>()
      ).data.find((t) => t.id === api_token.id);
    const used = (await list())?.last_used_at;
    expect(used).toEqual(expect.any(Number));
    await api('/token', { token });
    expect((await list())?.last_used_at).toBe(used); // kept to the minute: no write on every request
    const listText = JSON.stringify(await (await request('/v1/admin/workspaces/wacme/api-tokens', { cookie: admin })).json());
    expect(listText).not.toContain(token.slice(-64));
    expect(listText).not.toContain('secret_hash');

    const revoked = await request(`/v1/admin/workspaces/wacme/api-tokens/${api_token.id}/revoke`, {
      method: 'POST',
      cookie: admin,
    });
    expect(await revoked.json()).toMatchObject({ id: api_token.id, revoked_at: expect.any(Number) });
    expect(await errorOf(await api('/token', { token }))).toMatchObject({ status: 401, code: 'invalid_token' });
    expect(
      (await request(`/v1/admin/workspaces/wacme/api-tokens/${api_token.id}/revoke`, { method: 'POST', cookie: admin })).status,
    ).toBe(404);
    // Another workspace's admin cannot revoke or see Acme's tokens.
    const globex = await login('globex');
    expect((await request(`/v1/admin/workspaces/wacme/api-tokens`, { cookie: globex })).status).toBe(404);
    const audit = await env.DB.prepare('SELECT action FROM audit_log WHERE subject_id = ? ORDER BY created_at')
      .bind(api_token.id)
      .all();
    expect(audit.results).toEqual([{ action: 'api_token.created' }, { action: 'api_token.revoked' }]);
  });
});
