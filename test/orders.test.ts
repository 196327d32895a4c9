import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../src/worker/env';
import { runReportJob } from '../src/worker/jobs/runner';
import { ZonedClock } from '../src/worker/time';
import {
  BASE,
  createJob,
  EVENT_ID,
  jobRow,
  login,
  OTHER_EVENT_ID,
  request,
  requestWith,
  seedFixture,
  USERS,
  type UserKey,
  waitForStatus,
} from './helpers';
import {
  insertItemStatement,
  insertOrderStatement,
  money,
  num,
  type Order,
  parseCsv,
  readArtifact,
  type SourceFixture,
  seedSourceFixture,
} from './reports-fixture';

// The orders page and its export (the spec packet): the table and the CSV are the same columns and
// rows; the export captures the filters on screen and the instant of the click; small exports
// download at once, large ones run as a report job; report access is checked on every request.

const clock = new ZonedClock('America/New_York');
const COLUMNS = ['Order number', 'Placed at', 'Buyer', 'Email', 'Status', 'Tickets', 'Quantity', 'Currency', 'Total', 'Refunded'];
/** The file's header: spreadsheet-ready times (the default) name their zone. */
const CSV_COLUMNS = COLUMNS.map((c) => (c === 'Placed at' ? 'Placed at (America/New_York)' : c));
/** How the file writes times by default; the page shows them in ISO with their offset (`clock`). */
const sheet = new ZonedClock('America/New_York', 'spreadsheet');
const KEYS = [
  'order_number',
  'placed_at',
  'buyer_name',
  'buyer_email',
  'status',
  'tickets',
  'quantity',
  'currency',
  'total',
  'refunded',
];

let f: SourceFixture;
const cookies: Partial<Record<UserKey, string>> = {};

beforeAll(async () => {
  const guests = await seedFixture(30);
  f = await seedSourceFixture(guests);
  for (const user of ['admin', 'organizer', 'organizer2', 'viewer', 'staff', 'globex'] as const)
    cookies[user] = await login(user);
});

interface OrderList {
  data: Record<string, string | number | null>[];
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  columns: { key: string; label: string }[];
}

const ordersPath = (query = '') => `/v1/admin/events/${EVENT_ID}/orders${query}`;

/** The orders a filter selects, newest first, computed from the fixture. */
function expected(filter: (o: Order) => boolean, orders: Order[] = f.orders): string[] {
  return orders
    .filter(filter)
    .sort((a, b) => b.placed_at - a.placed_at || (a.id < b.id ? 1 : -1))
    .map((o) => o.order_number);
}

const hasType = (o: Order, typeId: string) => f.items.some((i) => i.order_id === o.id && i.ticket_type_id === typeId);
/** The search looks in the order number, the buyer's name and email, ignoring case. */
const matches = (o: Order, q: string) => `${o.order_number}\n${o.buyer_name}\n${o.buyer_email}`.toLowerCase().includes(q);

describe('GET …/orders (the orders page)', () => {
  it('pages through the orders newest first, in the envelope, with the CSV’s columns', async () => {
    const res = await request(ordersPath('?limit=7&page=2'), { cookie: cookies.organizer });
    expect(res.status).toBe(200);
    const body = await res.json<OrderList>();
    expect(body).toMatchObject({ page: 2, limit: 7, total: f.orders.length, hasMore: true });
    expect(body.columns.map((c) => c.label)).toEqual(COLUMNS);
    expect(body.columns.map((c) => c.key)).toEqual(KEYS);
    expect(body.data.map((r) => r.order_number)).toEqual(expected(() => true).slice(7, 14));
    const first = body.data[0];
    const order = f.orders.find((o) => o.order_number === first?.order_number);
    expect(first).toMatchObject({
      id: order?.id,
      placed_at: clock.format(order?.placed_at ?? 0),
      total: (order?.total_cents ?? 0) / 100,
      refunded: (order?.refunded_cents ?? 0) / 100,
      currency: order?.currency,
    });
  });

  it('filters by status, ticket type, search and dates; blank fields mean no filter', async () => {
    const res = await request(ordersPath('?status=paid&ticket_type=ttb&q=buyer&date_from=2026-03-08&date_to=&limit=100'), {
      cookie: cookies.viewer,
    });
    expect(res.status).toBe(200);
    const body = await res.json<OrderList>();
    const from = clock.startOfDay('2026-03-08');
    const want = expected((o) => o.status === 'paid' && hasType(o, 'ttb') && matches(o, 'buyer') && o.placed_at >= from);
    expect(want.length).toBeGreaterThan(0);
    expect(body.data.map((r) => r.order_number)).toEqual(want);
    expect(body.total).toBe(want.length);
    expect(body.hasMore).toBe(false);
  });

  it('matches a search literally, wildcards included', async () => {
    const body = await (await request(ordersPath('?q=%25'), { cookie: cookies.organizer })).json<OrderList>();
    expect(body.total).toBe(0);
    const quote = await (
      await request(ordersPath(`?q=${encodeURIComponent('"x"')}`), { cookie: cookies.organizer })
    ).json<OrderList>();
    expect(quote.data.map((r) => r.buyer_name)).toEqual(['Quote "x", y']);
  });

  it('answers bad filters with 400 naming the field', async () => {
    const cases: [string, RegExp][] = [
      ['?status=shipped', /^status: /],
      ['?ticket_type=NOPE!', /^ticket_type: /],
      ['?ticket_type=zzz', /^ticket_type: No such ticket type/],
      ['?date_from=2026-02-30', /^date_from: /],
      ['?date_from=2026-03-02&date_to=2026-03-01', /^date_to: /],
      ['?limit=0', /^limit: /],
      ['?page=-1', /^page: /],
      ['?sort=placed_at', /Unrecognized key/],
    ];
    for (const [query, message] of cases) {
      const res = await request(ordersPath(query), { cookie: cookies.organizer });
      expect(res.status, query).toBe(400);
      expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(message);
    }
  });

  it('lists the filter choices', async () => {
    const res = await request(ordersPath('/filters'), { cookie: cookies.organizer });
    const body = await res.json<{ statuses: { value: string }[]; ticket_types: { value: string; label: string }[] }>();
    expect(body.statuses.map((s) => s.value)).toEqual(['pending', 'paid', 'partially_refunded', 'refunded', 'cancelled']);
    expect(body.ticket_types).toEqual([
      { value: 'tta', label: 'General' },
      { value: 'ttb', label: 'VIP' },
      { value: 'ttc', label: 'Euro seat' },
    ]);
  });
});

describe('permissions', () => {
  it('lets every member with report access see and export orders, and nobody else', async () => {
    for (const user of ['admin', 'organizer', 'viewer'] as const) {
      expect((await request(ordersPath(), { cookie: cookies[user] })).status).toBe(200);
    }
    const staff = [
      await request(ordersPath(), { cookie: cookies.staff }),
      await request(ordersPath('/export'), { method: 'POST', cookie: cookies.staff, json: {} }),
      await request(ordersPath('/export.csv?snapshot_at=1'), { cookie: cookies.staff }),
    ];
    for (const res of staff) expect(res.status).toBe(403);
    expect((await request(ordersPath(), { cookie: cookies.globex })).status).toBe(404);
    expect((await request(`/v1/admin/events/${OTHER_EVENT_ID}/orders`, { cookie: cookies.organizer })).status).toBe(404);
    expect((await request(ordersPath())).status).toBe(401);
  });
});

describe('POST …/orders/export', () => {
  it('downloads a small export at once, with the filters and instant of the click', async () => {
    const filters = { status: 'paid', ticket_type: 'tta', q: '', date_from: '2026-03-07' };
    const res = await request(ordersPath('/export'), { method: 'POST', cookie: cookies.organizer, json: filters });
    expect(res.status).toBe(200);
    const body = await res.json<{ mode: string; rows: number; download_url: string }>();
    expect(body.mode).toBe('sync');
    const from = clock.startOfDay('2026-03-07');
    const want = expected((o) => o.status === 'paid' && hasType(o, 'tta') && o.placed_at >= from);
    expect(body.rows).toBe(want.length);
    expect(body.download_url).toMatch(
      /^\/v1\/admin\/events\/evsummit\/orders\/export\.csv\?status=paid&ticket_type=tta&date_from=2026-03-07&spreadsheet_times=1&snapshot_at=\d+$/,
    );

    // An order placed after the click matches the filters but is not in the file.
    const snapshotAt = Number(new URL(body.download_url, BASE).searchParams.get('snapshot_at'));
    const late: Order = {
      ...(f.orders.find((o) => o.status === 'paid' && hasType(o, 'tta') && o.placed_at >= from) as Order),
      id: 'ordlate1',
      order_number: 'ACM-LATE-1',
      created_at: snapshotAt + 1,
    };
    await env.DB.batch([
      insertOrderStatement(late),
      insertItemStatement({
        ...(f.items.find((i) => i.ticket_type_id === 'tta') as SourceFixture['items'][number]),
        id: 'ordlate1i0',
        order_id: 'ordlate1',
      }),
    ]);

    const file = await request(body.download_url, { cookie: cookies.organizer });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="acme-summit_orders_2026-03-07_\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''acme-summit_orders_2026-03-07_\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const { header, rows } = parseCsv(new Uint8Array(await file.arrayBuffer()));
    expect(header).toEqual(CSV_COLUMNS);
    expect(rows.map((r) => r[0])).toEqual(want);
    const order = f.orders.find((o) => o.order_number === want[0]) as Order;
    expect(rows[0]).toEqual([
      order.order_number,
      sheet.format(order.placed_at),
      order.buyer_name,
      order.buyer_email,
      order.status,
      expect.stringMatching(/^General × \d/),
      num(order.ticket_count),
      order.currency,
      money(order.total_cents),
      money(order.refunded_cents),
    ]);

    // The same filters on the page now show the late order; the file did not. (Workers' clock moves
    // on only across I/O and timers: let it pass the late order's creation.)
    await new Promise((resolve) => setTimeout(resolve, 20));
    const page = await (
      await request(ordersPath('?status=paid&ticket_type=tta&date_from=2026-03-07&limit=100'), { cookie: cookies.organizer })
    ).json<OrderList>();
    expect(page.data.map((r) => r.order_number)).toContain('ACM-LATE-1');

    const audit = await env.DB.prepare("SELECT * FROM audit_log WHERE action = 'orders.exported' AND event_id = ?")
      .bind(EVENT_ID)
      .first<{ actor_user_id: string; detail: string }>();
    expect(audit?.actor_user_id).toBe(USERS.organizer.id);
    expect(JSON.parse(audit?.detail ?? '{}')).toMatchObject({
      rows: want.length,
      filters: { status: 'paid', ticket_type: 'tta' },
    });
    await env.DB.batch([
      env.DB.prepare("DELETE FROM order_items WHERE order_id = 'ordlate1'"),
      env.DB.prepare("DELETE FROM orders WHERE id = 'ordlate1'"),
    ]);
  });

  it('checks export access again when the small export is downloaded', async () => {
    const res = await request(ordersPath('/export'), { method: 'POST', cookie: cookies.organizer2, json: {} });
    const { download_url } = await res.json<{ download_url: string }>();
    // Made read-only after the click: the link no longer downloads (the spec packet: checked at download too).
    await env.DB.prepare("UPDATE memberships SET role = 'viewer' WHERE user_id = ?").bind(USERS.organizer2.id).run();
    try {
      expect((await request(download_url, { cookie: cookies.organizer2 })).status).toBe(403);
    } finally {
      await env.DB.prepare("UPDATE memberships SET role = 'organizer' WHERE user_id = ?").bind(USERS.organizer2.id).run();
    }
    expect((await request(download_url, { cookie: cookies.organizer2 })).status).toBe(200);
  });

  it('denies the export to a read-only viewer, who still sees the orders page', async () => {
    expect((await request(ordersPath(), { cookie: cookies.viewer })).status).toBe(200);
    const refused = await request(ordersPath('/export'), { method: 'POST', cookie: cookies.viewer, json: {} });
    expect(refused.status).toBe(403);
    expect((await refused.json<{ error: { message: string } }>()).error.message).toMatch(/admins and organizers/);
    expect((await request(ordersPath(`/export.csv?snapshot_at=${Date.now()}`), { cookie: cookies.viewer })).status).toBe(403);
    // The orders report type is not in the viewer's catalog, and cannot be asked for as a job either.
    const job = await createJob(cookies.viewer ?? '', { type: 'orders', params: { format: 'csv' } });
    expect(job.status).toBe(403);
  });

  it('refuses a direct download larger than the threshold', async () => {
    const res = await requestWith({ ORDERS_SYNC_EXPORT_MAX_ROWS: '5' }, ordersPath(`/export.csv?snapshot_at=${Date.now()}`), {
      cookie: cookies.organizer,
    });
    expect(res.status).toBe(413);
    expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(/more than the 5 a direct download allows/);
  });

  it('runs a large export as a report job that keeps the filters of the click', async () => {
    // A queue that delivers nothing, so the test decides when the runner works.
    const held: unknown[] = [];
    const queue = {
      send: async (body: unknown) => void held.push(body),
      sendBatch: async () => {},
    } as unknown as Env['REPORT_JOBS'];
    const filters = { status: 'paid', q: 'buyer', date_from: '2026-03-07', date_to: '2026-03-09' };
    const res = await requestWith({ ORDERS_SYNC_EXPORT_MAX_ROWS: '5', REPORT_JOBS: queue }, ordersPath('/export'), {
      method: 'POST',
      cookie: cookies.organizer,
      json: { ...filters, notify_emails: ['admin@acme.test'] },
    });
    expect(res.status).toBe(202);
    const body = await res.json<{ mode: string; rows: number; job: { job_id: string; status: string; type: string } }>();
    expect(body.mode).toBe('job');
    expect(body.job).toMatchObject({ status: 'queued', type: 'orders' });
    expect(held).toEqual([{ job_id: body.job.job_id }]);
    const row = await jobRow(body.job.job_id);
    expect(row).toMatchObject({ type: 'orders', format: 'csv', requested_by: USERS.organizer.id, workspace_id: 'wacme' });
    expect(JSON.parse(row?.params ?? '{}')).toEqual({ format: 'csv', include_bom: true, spreadsheet_times: true, ...filters });
    expect(JSON.parse(row?.notify_emails ?? '[]')).toEqual(['admin@acme.test']);

    // After the click: a matching order arrives and the page's filters change. Neither reaches the file.
    const template = f.orders.find((o) => o.status === 'paid' && o.buyer_name.startsWith('Buyer')) as Order;
    await env.DB.batch([
      insertOrderStatement({
        ...template,
        id: 'ordlate2',
        order_number: 'ACM-LATE-2',
        placed_at: Date.UTC(2026, 2, 8, 12),
        created_at: (row?.snapshot_at ?? 0) + 1,
      }),
    ]);
    await request(ordersPath('?status=refunded'), { cookie: cookies.organizer });

    expect(await runReportJob(env, body.job.job_id)).toBe('completed');
    // "File expires after 7 days" (the spec packet): orders files are kept 7 days, other reports 30.
    const kept = await env.DB.prepare('SELECT expires_at - created_at AS ms FROM event_report_job_artifacts WHERE job_id = ?')
      .bind(body.job.job_id)
      .first<number>('ms');
    expect(kept).toBe(7 * 86_400_000);
    const artifact = await readArtifact(body.job.job_id);
    expect(artifact.file_name).toBe('acme-summit_orders_2026-03-07_2026-03-09.csv');
    const { header, rows } = parseCsv(artifact.bytes);
    expect(header).toEqual(CSV_COLUMNS);
    const from = clock.startOfDay('2026-03-07');
    const to = clock.startOfDay('2026-03-10');
    const want = expected((o) => o.status === 'paid' && matches(o, 'buyer') && o.placed_at >= from && o.placed_at < to);
    expect(want.length).toBeGreaterThan(5);
    expect(body.rows).toBe(want.length);
    expect(rows.map((r) => r[0])).toEqual(want);
    expect(rows.map((r) => r[0])).not.toContain('ACM-LATE-2');

    // Downloaded through the report center's signed link, which checks access again.
    const job = await (
      await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${body.job.job_id}`, { cookie: cookies.organizer })
    ).json<{
      download_url: string;
    }>();
    const download = await request(job.download_url, { cookie: cookies.organizer });
    expect(download.status).toBe(200);
    expect(parse(await download.text(), { bom: true })).toHaveLength(want.length + 1);
    expect((await request(job.download_url, { cookie: cookies.staff })).status).toBe(403);
  });

  it('sends the job to the real queue, and the real consumer completes it', async () => {
    const res = await requestWith({ ORDERS_SYNC_EXPORT_MAX_ROWS: '0' }, ordersPath('/export'), {
      method: 'POST',
      cookie: cookies.admin,
      json: { ticket_type: 'ttc' },
    });
    expect(res.status).toBe(202);
    const { job } = await res.json<{ job: { job_id: string } }>();
    await waitForStatus(job.job_id, ['completed']);
    const { rows } = parseCsv((await readArtifact(job.job_id)).bytes);
    expect(rows.map((r) => r[0])).toEqual(expected((o) => hasType(o, 'ttc')));
    expect(rows.every((r) => r[7] === 'EUR')).toBe(true);
  });

  it('answers bad export bodies with 400', async () => {
    const cases: [unknown, RegExp][] = [
      [{ status: 'shipped' }, /^status: /],
      [{ notify_emails: ['nope'] }, /^notify_emails\.0: /],
      [{ format: 'pdf' }, /Unrecognized key/],
    ];
    for (const [json, message] of cases) {
      const res = await request(ordersPath('/export'), { method: 'POST', cookie: cookies.organizer, json });
      expect(res.status).toBe(400);
      expect((await res.json<{ error: { message: string } }>()).error.message).toMatch(message);
    }
    const missing = await request(ordersPath('/export.csv'), { cookie: cookies.organizer });
    expect(missing.status).toBe(400);
  });
});
