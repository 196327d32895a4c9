import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { findEvent } from '../src/worker/db/events';
import { estimateReport } from '../src/worker/reports/estimate';
import { guestList } from '../src/worker/reports/guest-list';
import { ZonedClock } from '../src/worker/time';
import { EVENT_ID, login, OTHER_EVENT_ID, request, seedFixture, type UserKey } from './helpers';
import { generateReport, REPORT_TYPE_KEYS, seedSourceFixture } from './reports-fixture';

// The catalog: every type the caller may run, filtered on the server by role; each with its
// parameter schema for the form; and the same permission and validation rules when a job is asked
// for through the API.

interface CatalogEntry {
  key: string;
  name: string;
  description: string;
  permission: string;
  formats: string[];
  columns: string[];
  date_field: string;
  params_schema: {
    type: string;
    properties: Record<string, { type?: string; enum?: string[]; oneOf?: { const: string; title: string }[]; title?: string }>;
    required: string[];
    additionalProperties: boolean;
  };
}

const cookies: Partial<Record<UserKey, string>> = {};

beforeAll(async () => {
  const guests = await seedFixture(30);
  await seedSourceFixture(guests);
  for (const user of ['admin', 'organizer', 'viewer', 'staff', 'globex'] as const) cookies[user] = await login(user);
});

async function catalog(user: UserKey, eventId = EVENT_ID): Promise<Response> {
  return request(`/v1/admin/events/${eventId}/reports/catalog`, { cookie: cookies[user] });
}

async function entries(user: UserKey): Promise<CatalogEntry[]> {
  const res = await catalog(user);
  expect(res.status).toBe(200);
  return (await res.json<{ data: CatalogEntry[] }>()).data;
}

describe('GET …/reports/catalog', () => {
  it('shows an admin every type, audit log included, each fully described', async () => {
    const data = await entries('admin');
    expect(data.map((t) => t.key)).toEqual(REPORT_TYPE_KEYS);
    for (const t of data) {
      expect(t.name.length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(0);
      expect(t.formats).toEqual(['csv', 'pdf']);
      expect(t.columns.length).toBeGreaterThan(0);
      expect(t.date_field.length).toBeGreaterThan(0);
      expect(t.params_schema.type).toBe('object');
      expect(t.params_schema.required).toEqual(['format']);
      expect(t.params_schema.additionalProperties).toBe(false);
      expect(t.params_schema.properties.format?.enum).toEqual(['csv', 'pdf']);
      for (const common of ['date_from', 'date_to', 'include_bom']) expect(t.params_schema.properties[common]).toBeDefined();
    }
    expect(data.find((t) => t.key === 'audit-log')?.permission).toBe('reports:admin');
    expect(data.find((t) => t.key === 'guest-list')?.name).toBe('Guest list summary');
  });

  it('leaves the admin-only audit log out for organizers and viewers, and the orders export for viewers', async () => {
    expect((await entries('organizer')).map((t) => t.key)).toEqual(REPORT_TYPE_KEYS.filter((k) => k !== 'audit-log'));
    expect((await entries('viewer')).map((t) => t.key)).toEqual(
      REPORT_TYPE_KEYS.filter((k) => k !== 'audit-log' && k !== 'orders'),
    );
  });

  it('refuses staff (no report access) and hides another workspace’s event', async () => {
    const staff = await catalog('staff');
    expect(staff.status).toBe(403);
    expect((await staff.json<{ error: { message: string } }>()).error.message).toMatch(/permission/);
    expect((await catalog('globex')).status).toBe(404);
    expect((await catalog('admin', OTHER_EVENT_ID)).status).toBe(404);
    expect((await request(`/v1/admin/events/${EVENT_ID}/reports/catalog`)).status).toBe(401);
  });

  it('offers the event’s own ticket types, sponsors and campaigns as labelled choices', async () => {
    const data = await entries('organizer');
    const props = (key: string) => data.find((t) => t.key === key)?.params_schema.properties ?? {};
    expect(props('orders').ticket_type?.oneOf).toEqual([
      { const: 'tta', title: 'General' },
      { const: 'ttb', title: 'VIP' },
      { const: 'ttc', title: 'Euro seat' },
    ]);
    expect(props('orders').status?.enum).toEqual(['pending', 'paid', 'partially_refunded', 'refunded', 'cancelled']);
    expect(props('sponsor-leads').sponsor_id?.oneOf).toEqual([
      { const: 'spb', title: '@Initech' },
      { const: 'spa', title: 'Globex' },
    ]);
    expect(props('email-deliverability').campaign?.oneOf?.map((o) => o.const)).toEqual(['=Survey', 'Invite', 'Reminder']);
    expect(props('guest-list').rsvp_status?.title).toBe('RSVP status');
  });
});

describe('asking for a job', () => {
  it('answers a non-admin who asks for the audit log with 403 and a clear message', async () => {
    for (const user of ['organizer', 'viewer'] as const) {
      const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
        method: 'POST',
        cookie: cookies[user],
        json: { type: 'audit-log', params: { format: 'csv' } },
      });
      expect(res.status).toBe(403);
      expect((await res.json<{ error: { message: string } }>()).error.message).toBe(
        'The Audit log report is available to workspace admins only. Ask an admin for access.',
      );
    }
  });

  // One invalid value per type's own filter, and the common ones: 400 naming the field.
  const INVALID: [string, Record<string, unknown>, RegExp][] = [
    ['guest-list', { rsvp_status: ['nope'] }, /^params\.rsvp_status\.0: /],
    ['activity-log', { action: '' }, /^params\.action: /],
    ['email-deliverability', { campaign: 'x'.repeat(201) }, /^params\.campaign: /],
    ['graphical-check-in', { entrance: 42 }, /^params\.entrance: /],
    ['ticketing', { ticket_type: 'Not An Id!' }, /^params\.ticket_type: Use a ticket type id/],
    ['attendance', { ticket_type: '' }, /^params\.ticket_type: /],
    ['registration-timeline', { date_from: '2026-02-30' }, /^params\.date_from: Not a calendar date/],
    ['sponsor-leads', { rating: 'lukewarm' }, /^params\.rating: /],
    ['sponsor-leads', { sponsor_id: '../x' }, /^params\.sponsor_id: Use a sponsor id/],
    [
      'ticket-block-utilization',
      { date_from: '2026-03-02', date_to: '2026-03-01' },
      /^params\.date_to: date_to must be on or after/,
    ],
    ['orders', { status: 'shipped' }, /^params\.status: /],
    ['orders', { q: 'x'.repeat(101) }, /^params\.q: /],
    ['orders', { format: 'xlsx' }, /^params\.format: /],
    ['audit-log', { action: ['a'] }, /^params\.action: /],
    ['attendance', { unknown_filter: 1 }, /^params: Unrecognized key/],
  ];

  it.each(INVALID)('%s with %j answers 400 naming the field', async (type, params, message) => {
    const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
      method: 'POST',
      cookie: cookies.admin,
      json: { type, params: { format: 'csv', ...params } },
    });
    expect(res.status).toBe(400);
    const error = (await res.json<{ error: { code: string; message: string } }>()).error;
    expect(error.code).toBe('validation_failed');
    expect(error.message).toMatch(message);
  });

  it('accepts valid filters of every type', async () => {
    const valid: [string, Record<string, unknown>][] = [
      ['activity-log', { action: 'order.placed' }],
      ['email-deliverability', { campaign: 'Invite' }],
      ['graphical-check-in', { entrance: 'Main', date_from: '2026-03-08', date_to: '2026-03-08' }],
      ['ticketing', { ticket_type: 'tta' }],
      ['attendance', { ticket_type: 'VIP' }],
      ['registration-timeline', { ticket_type: 'General' }],
      ['sponsor-leads', { sponsor_id: 'spa', rating: 'hot' }],
      ['ticket-block-utilization', { ticket_type: 'ttb' }],
      ['orders', { status: 'refunded', ticket_type: 'ttc', q: '50%_off' }],
      ['audit-log', { action: 'event.updated' }],
    ];
    for (const [type, params] of valid) {
      const res = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, {
        method: 'POST',
        cookie: cookies.admin,
        json: { type, params: { format: 'pdf', ...params } },
      });
      expect(res.status, `${type}: ${await res.clone().text()}`).toBe(201);
    }
  });
});

describe('estimate', () => {
  async function estimate(user: UserKey, body: unknown): Promise<Response> {
    return request(`/v1/admin/events/${EVENT_ID}/reports/estimate`, { method: 'POST', cookie: cookies[user], json: body });
  }

  it('tells the rows and the file size before the job exists, within a few percent of the real file', async () => {
    const res = await estimate('organizer', { type: 'orders', params: { format: 'csv' } });
    expect(res.status).toBe(200);
    const e = await res.json<{ rows: number; bytes: number; max_bytes: number; over_limit: boolean; warning: null }>();
    const report = await generateReport(cookies.organizer ?? '', 'orders', { format: 'csv' });
    expect(e.rows).toBe(report.row_count);
    expect(Math.abs(e.bytes - report.bytes.length) / report.bytes.length).toBeLessThan(0.1);
    // The shipped ceilings: orders have their own, sized for the large accounts.
    expect(e).toMatchObject({ max_bytes: 104_857_600, over_limit: false, warning: null });
    const guests = await (await estimate('organizer', { type: 'guest-list', params: { format: 'csv' } })).json();
    expect(guests).toMatchObject({ max_bytes: 52_428_800 });
  });

  it('checks the request like a new job: unknown type, forbidden type, bad parameters', async () => {
    expect((await estimate('organizer', { type: 'nope', params: { format: 'csv' } })).status).toBe(400);
    expect((await estimate('organizer', { type: 'audit-log', params: { format: 'csv' } })).status).toBe(403);
    const bad = await estimate('organizer', { type: 'orders', params: { format: 'csv', date_from: 'soon' } });
    expect(bad.status).toBe(400);
    expect((await bad.json<{ error: { message: string } }>()).error.message).toMatch(/^params\.date_from: /);
    expect((await estimate('staff', { type: 'orders', params: { format: 'csv' } })).status).toBe(403);
  });

  it('warns when the file would pass its ceiling, or a PDF its row limit, with what to do instead', async () => {
    const event = await findEvent(env.DB, EVENT_ID);
    if (!event) throw new Error('fixture event missing');
    const ctx = (format: 'csv' | 'pdf') => ({
      db: env.DB,
      job: { snapshot_at: Date.now() },
      event,
      params: guestList.params.parse({ format }),
      clock: new ZonedClock(event.time_zone),
    });
    const small = await estimateReport(guestList, ctx('csv'), 1_000);
    expect(small.over_limit).toBe(true);
    expect(small.warning).toMatch(/above the 0 MB limit of this report.*narrower date range or generate per-month reports/);
    const roomy = await estimateReport(guestList, ctx('csv'), 10_000_000);
    expect(roomy).toMatchObject({ over_limit: false, warning: null });
    const many = { ...guestList, estimateRows: async () => 25_000 };
    const pdf = await estimateReport(many, ctx('pdf'), 10_000_000);
    expect(pdf).toMatchObject({ rows: 25_000, bytes: null, over_limit: true });
    expect(pdf.warning).toMatch(/at most 20,000.*Choose CSV/);
  });
});
