import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_ID, login, OTHER_EVENT_ID, request, seedFixture, type UserKey } from './helpers';
import { REPORT_TYPE_KEYS, seedSourceFixture } from './reports-fixture';

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

  it('leaves the admin-only audit log out for organizers and viewers', async () => {
    for (const user of ['organizer', 'viewer'] as const) {
      const keys = (await entries(user)).map((t) => t.key);
      expect(keys).toEqual(REPORT_TYPE_KEYS.filter((k) => k !== 'audit-log'));
    }
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
