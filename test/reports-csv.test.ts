import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { findEvent } from '../src/worker/db/events';
import { csvRow } from '../src/worker/output/csv';
import { orders } from '../src/worker/reports/orders';
import { cellsOf } from '../src/worker/reports/types';
import { ZonedClock } from '../src/worker/time';
import { EVENT_ID, type FixtureGuest, login, seedFixture, USERS } from './helpers';
import {
  DST_CHANGE,
  FORMULA_CELL,
  generateReport,
  money,
  num,
  type Order,
  parseCsv,
  pct,
  type SourceFixture,
  seedSourceFixture,
} from './reports-fixture';

// Every report type's CSV against what the fixture says it must contain, computed here in plain
// TypeScript from the rows the fixture inserted (not with the report's SQL).

const clock = new ZonedClock('America/New_York');
// CSVs write spreadsheet-ready times by default: wall time in the event's zone, the zone in the header.
const sheet = new ZonedClock('America/New_York', 'spreadsheet');
const fmt = (ts: number) => sheet.format(ts);
const zoned = (header: string) => `${header} (America/New_York)`;
const SOLD = new Set(['paid', 'partially_refunded', 'refunded']);

let guests: FixtureGuest[];
let f: SourceFixture;
let organizer: string;
let admin: string;

beforeAll(async () => {
  guests = await seedFixture(300);
  f = await seedSourceFixture(guests);
  organizer = await login('organizer');
  admin = await login('admin');
});

async function csv(type: string, params: Record<string, unknown> = {}, cookie = organizer) {
  const report = await generateReport(cookie, type, { format: 'csv', ...params });
  expect(report.content_type).toBe('text/csv; charset=utf-8');
  expect([...report.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expectNoExecutableCells(report.bytes);
  const parsed = parseCsv(report.bytes);
  expect(report.row_count).toBe(parsed.rows.length);
  return { ...parsed, report };
}

/** No cell a spreadsheet would execute, blanks before it or not; a leading minus only on a genuine number. */
function expectNoExecutableCells(bytes: Uint8Array): void {
  const rows = parse(new TextDecoder().decode(bytes), { bom: true }) as string[][];
  for (const row of rows) {
    for (const cell of row) {
      if (/^-\d+(\.\d+)?$/.test(cell)) continue;
      expect(cell).not.toMatch(FORMULA_CELL);
    }
  }
}

const typeById = (id: string) => f.ticketTypes.find((t) => t.id === id);
const itemsOf = (order: Order) => f.items.filter((i) => i.order_id === order.id);

function expectedOrderRow(o: Order): string[] {
  const tickets = itemsOf(o)
    .map((i) => ({ i, t: typeById(i.ticket_type_id) }))
    .sort((a, b) => (a.t?.sort_order ?? 0) - (b.t?.sort_order ?? 0) || (a.i.id < b.i.id ? -1 : 1))
    .map(({ i, t }) => `${t?.name} × ${i.quantity}`)
    .join('; ');
  return [
    o.order_number,
    fmt(o.placed_at),
    o.buyer_name,
    o.buyer_email,
    o.status,
    tickets,
    num(o.ticket_count),
    o.currency,
    money(o.total_cents),
    money(o.refunded_cents),
  ];
}

const newestFirst = (a: Order, b: Order) => b.placed_at - a.placed_at || (a.id < b.id ? 1 : -1);

describe('orders', () => {
  it('lists every order, newest first, with money as plain decimals and a currency column', async () => {
    const { header, rows, report } = await csv('orders');
    expect(header).toEqual([
      'Order number',
      zoned('Placed at'),
      'Buyer',
      'Email',
      'Status',
      'Tickets',
      'Quantity',
      'Currency',
      'Total',
      'Refunded',
    ]);
    expect(rows).toEqual([...f.orders].sort(newestFirst).map(expectedOrderRow));
    expect(rows.some((r) => r[8] === '125.5')).toBe(true);
    expect(report.file_name).toMatch(/^acme-summit_orders_all_\d{4}-\d{2}-\d{2}\.csv$/);
  });

  it('applies status, ticket type, search and date filters together', async () => {
    const params = { status: 'paid', ticket_type: 'ttb', q: 'BUYER', date_from: '2026-03-08', date_to: '2026-03-10' };
    const { rows } = await csv('orders', params);
    const from = clock.startOfDay('2026-03-08');
    const to = clock.startOfDay('2026-03-11');
    const expected = f.orders
      .filter((o) => o.status === 'paid')
      .filter((o) => itemsOf(o).some((i) => i.ticket_type_id === 'ttb'))
      .filter((o) => `${o.order_number} ${o.buyer_name} ${o.buyer_email}`.toLowerCase().includes('buyer'))
      .filter((o) => o.placed_at >= from && o.placed_at < to)
      .sort(newestFirst)
      .map(expectedOrderRow);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows).toEqual(expected);
  });

  it('writes the same bytes from its columns as its rows through csvRow, hostile cells included', async () => {
    const event = await findEvent(env.DB, EVENT_ID);
    if (!event) throw new Error('fixture event missing');
    const ctx = {
      db: env.DB,
      job: { snapshot_at: Date.now() },
      event,
      params: orders.params.parse({ format: 'csv' }),
      clock: sheet,
    };
    let fromRows = '';
    let fromColumns = '';
    let rows = 0;
    // Pages of 7 rows: the keyset cursor is crossed many times.
    for (let cursor: string | null = null, first = true; first || cursor !== null; first = false) {
      const chunk = await orders.readChunk(ctx, cursor, 7);
      const lines = await orders.readCsvChunk?.(ctx, cursor, 7);
      for (const cells of cellsOf(orders, chunk.rows, ctx)) fromRows += csvRow(cells);
      fromColumns += lines?.text ?? '';
      expect(lines?.rows).toBe(chunk.rows.length);
      expect(lines?.cursor).toBe(chunk.cursor);
      rows += chunk.rows.length;
      cursor = chunk.cursor;
    }
    expect(rows).toBe(f.orders.length);
    expect(fromRows).toMatch(/'=|"/); // the fixture's hostile buyers are in there
    expect(fromColumns).toBe(fromRows);
  });

  it('converts times across the March DST change and counts the 23-hour day right', async () => {
    // The ISO form names each time's offset, which is what this test is about.
    const { rows, header } = await csv('orders', { date_from: '2026-03-08', date_to: '2026-03-08', spreadsheet_times: false });
    expect(header[1]).toBe('Placed at');
    // 8 March in New York runs from 05:00 UTC to 04:00 UTC the next day: 23 hours.
    const inDay = f.orders.filter((o) => o.placed_at >= Date.UTC(2026, 2, 8, 5) && o.placed_at < Date.UTC(2026, 2, 9, 4));
    expect(rows).toHaveLength(inDay.length);
    const times = rows.map((r) => r[1]);
    expect(times).toContain('2026-03-08T01:00:00-05:00'); // 06:00 UTC, before the change
    expect(times).toContain('2026-03-08T03:30:00-04:00'); // 07:30 UTC, after it
    expect(times).toContain('2026-03-08T23:00:00-04:00'); // 03:00 UTC on the 9th
    expect(times.every((t) => t?.startsWith('2026-03-08T'))).toBe(true);
  });
});

describe('spreadsheet-ready times', () => {
  it('are the default for CSV: wall time a spreadsheet reads as a date, the zone in the header; off gives ISO', async () => {
    const sheetCsv = await csv('guest-list');
    const isoCsv = await csv('guest-list', { spreadsheet_times: false });
    expect(sheetCsv.header.slice(6)).toEqual([zoned('Registered at'), zoned('Checked in at')]);
    expect(isoCsv.header.slice(6)).toEqual(['Registered at', 'Checked in at']);
    expect(sheetCsv.rows.length).toBe(isoCsv.rows.length);
    for (let i = 0; i < sheetCsv.rows.length; i++) {
      const wall = sheetCsv.rows[i]?.[6] ?? '';
      const iso = isoCsv.rows[i]?.[6] ?? '';
      expect(wall).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/);
      // The same wall time; ISO adds the offset.
      expect(iso.slice(0, 19)).toBe(wall.replace(' ', 'T'));
    }
    // A PDF keeps the exact form whatever the option says (its table shows minutes anyway).
    expect(orders.params.parse({ format: 'pdf' })).toMatchObject({ spreadsheet_times: true });
  });
});

describe('activity log', () => {
  it('lists activities in time order, with a filter by action', async () => {
    const { header, rows } = await csv('activity-log');
    expect(header).toEqual([zoned('Time'), 'Actor', 'Actor type', 'Action', 'Details']);
    const expected = [...f.activities]
      .sort((a, b) => a.occurred_at - b.occurred_at || (a.id < b.id ? -1 : 1))
      .map((a) => [fmt(a.occurred_at), a.actor_name, a.actor_type, a.action, a.detail]);
    expect(rows).toEqual(expected);
    const filtered = await csv('activity-log', { action: 'order.placed' });
    expect(filtered.rows).toEqual(expected.filter((r) => r[3] === 'order.placed'));
  });
});

describe('audit log', () => {
  it('lists this event’s admin audit entries only, with the actor', async () => {
    const { header, rows } = await csv('audit-log', {}, admin);
    expect(header).toEqual([zoned('Time'), 'Actor', 'Actor email', 'Action', 'Subject type', 'Subject id', 'Details']);
    const names: Record<string, [string, string]> = {
      [USERS.admin.id]: ['admin', USERS.admin.email],
      [USERS.organizer.id]: ['organizer', USERS.organizer.email],
    };
    const expected = f.audits
      .filter((a) => a.event_id === EVENT_ID)
      .sort((a, b) => a.created_at - b.created_at || (a.id < b.id ? -1 : 1))
      .map((a) => {
        const [name, email] = a.actor_user_id ? (names[a.actor_user_id] ?? ['?', '?']) : ['System', ''];
        return [fmt(a.created_at), name, email, a.action, a.subject_type, a.subject_id, a.detail];
      });
    // Recorded by the app itself (issue 17): the sign-ins of this test file and the reports asked for.
    const recorded = new Set(['user.signed_in', 'report.requested', 'report.downloaded']);
    expect(rows.filter((r) => !recorded.has(String(r[3])))).toEqual(expected);
    const actions = rows.filter((r) => recorded.has(String(r[3])));
    expect(actions.some((r) => r[2] === USERS.admin.email && r[3] === 'user.signed_in' && r[4] === 'user')).toBe(true);
    // This very report's request is in it: asked for at its snapshot instant.
    expect(actions.some((r) => r[2] === USERS.admin.email && r[3] === 'report.requested' && r[4] === 'event_report_job')).toBe(
      true,
    );
  });
});

describe('sponsor leads', () => {
  it('lists leads in scan order with the sponsor, filtered by sponsor', async () => {
    const { rows } = await csv('sponsor-leads');
    const sponsor = (id: string) => f.sponsors.find((s) => s.id === id);
    const expected = [...f.leads]
      .sort((a, b) => a.scanned_at - b.scanned_at || (a.id < b.id ? -1 : 1))
      .map((l) => [
        fmt(l.scanned_at),
        sponsor(l.sponsor_id)?.name ?? '',
        sponsor(l.sponsor_id)?.tier ?? '',
        l.full_name,
        l.email,
        l.company,
        l.job_title,
        l.rating,
        l.notes,
        l.scanned_by,
      ]);
    expect(rows).toEqual(expected);
    const onlyB = await csv('sponsor-leads', { sponsor_id: 'spb' });
    expect(onlyB.rows).toEqual(expected.filter((r) => r[1] === '@Initech'));
  });
});

describe('email deliverability', () => {
  it('counts each message once per outcome, per campaign', async () => {
    const { header, rows } = await csv('email-deliverability');
    expect(header[0]).toBe('Campaign');
    const campaigns = [...new Set(f.messages.map((m) => m.campaign))];
    const expected = campaigns
      .map((campaign) => {
        const messages = f.messages.filter((m) => m.campaign === campaign);
        const has = (kind: string) =>
          messages.filter((m) => f.emailEvents.some((e) => e.message_id === m.id && e.kind === kind)).length;
        const sent = messages.length;
        const delivered = has('delivered');
        const bounced = has('bounced');
        const complained = has('complained');
        const opened = has('opened');
        const first = Math.min(...messages.map((m) => m.sent_at));
        return {
          first,
          row: [
            campaign,
            fmt(first),
            num(sent),
            num(delivered),
            num(bounced),
            num(complained),
            num(opened),
            pct(delivered, sent),
            pct(bounced, sent),
            pct(complained, sent),
            pct(opened, delivered),
          ],
        };
      })
      .sort((a, b) => a.first - b.first)
      .map((c) => c.row);
    expect(rows).toEqual(expected);
  });
});

describe('graphical check-in', () => {
  it('counts scans per 15 minutes, labelled in the event’s zone across the DST change', async () => {
    const { header, rows } = await csv('graphical-check-in');
    expect(header).toEqual([zoned('Interval start'), zoned('Interval end'), 'Check-ins', 'Running total']);
    const buckets = new Map<number, number>();
    for (const c of f.checkIns) {
      const at = Math.floor(c.scanned_at / 900_000) * 900_000;
      buckets.set(at, (buckets.get(at) ?? 0) + 1);
    }
    let running = 0;
    const expected = [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([at, n]) => {
        running += n;
        return [fmt(at), fmt(at + 900_000), num(n), num(running)];
      });
    expect(rows).toEqual(expected);
    // The quarter hour before the change ends an hour "later" on the wall clock.
    expect(rows).toContainEqual(['2026-03-08 01:45:00', '2026-03-08 03:00:00', expect.any(String), expect.any(String)]);
    expect(rows[0]?.[0]).toBe('2026-03-08 01:00:00');
    const main = await csv('graphical-check-in', { entrance: 'Main' });
    expect(main.rows.reduce((s, r) => s + Number(r[2]), 0)).toBe(f.checkIns.filter((c) => c.entrance === 'Main').length);
    expect(DST_CHANGE).toBe(Date.UTC(2026, 2, 8, 7));
  });
});

describe('ticketing', () => {
  it('sums sales, refunds and net revenue per ticket type in its own currency', async () => {
    const { header, rows } = await csv('ticketing');
    expect(header).toEqual([
      'Ticket type',
      'Currency',
      'Price',
      'Capacity',
      'Orders',
      'Tickets sold',
      'Tickets refunded',
      'Gross sales',
      'Refunds',
      'Net revenue',
      'Sold of capacity (%)',
    ]);
    const soldOrders = new Set(f.orders.filter((o) => SOLD.has(o.status)).map((o) => o.id));
    const expected = [...f.ticketTypes]
      .sort((a, b) => a.sort_order - b.sort_order)
      .map((t) => {
        const items = f.items.filter((i) => i.ticket_type_id === t.id && soldOrders.has(i.order_id));
        const sold = items.reduce((s, i) => s + i.quantity, 0);
        const refunded = items.reduce((s, i) => s + i.refunded_quantity, 0);
        const gross = items.reduce((s, i) => s + i.quantity * i.unit_price_cents, 0);
        const refunds = items.reduce((s, i) => s + i.refunded_cents, 0);
        return [
          t.name,
          t.currency,
          money(t.price_cents),
          num(t.capacity),
          num(new Set(items.map((i) => i.order_id)).size),
          num(sold),
          num(refunded),
          money(gross),
          money(refunds),
          money(gross - refunds),
          pct(sold - refunded, t.capacity),
        ];
      });
    expect(rows).toEqual(expected);
    expect(rows.map((r) => r[1])).toEqual(['USD', 'USD', 'EUR']);
  });
});

describe('attendance', () => {
  it('reconciles registrations, RSVPs and scans per ticket type', async () => {
    const { rows } = await csv('attendance');
    const scanned = new Set(f.checkIns.map((c) => c.guest_id));
    const types = [...new Set(guests.map((g) => g.ticket_type))].sort();
    const expected = types.map((type) => {
      const list = guests.filter((g) => g.ticket_type === type);
      const attending = list.filter((g) => g.rsvp_status === 'attending');
      const checkedIn = list.filter((g) => scanned.has(g.id));
      const noShows = attending.filter((g) => !scanned.has(g.id));
      const walkIns = checkedIn.filter((g) => g.rsvp_status !== 'attending');
      return [
        type,
        num(list.length),
        num(attending.length),
        num(checkedIn.length),
        num(noShows.length),
        num(walkIns.length),
        pct(checkedIn.length, list.length),
        pct(attending.length - noShows.length, attending.length),
      ];
    });
    expect(rows).toEqual(expected);
  });
});

describe('registration timeline', () => {
  it('counts registrations per local day with a running total, within the date range', async () => {
    const { rows } = await csv('registration-timeline', { date_from: '2026-01-12', date_to: '2026-01-14' });
    const days = ['2026-01-12', '2026-01-13', '2026-01-14'];
    let running = 0;
    const expected = days.map((day) => {
      const list = guests.filter((g) => clock.dateOf(g.registered_at) === day);
      running += list.length;
      const by = (s: string) => num(list.filter((g) => g.rsvp_status === s).length);
      return [day, num(list.length), num(running), by('attending'), by('maybe'), by('declined'), by('invited')];
    });
    expect(rows).toEqual(expected);
  });
});

describe('ticket-block utilization', () => {
  it('shows claimed tickets net of refunds, and an oversold block as a negative number', async () => {
    const { rows } = await csv('ticket-block-utilization');
    const soldOrders = new Set(f.orders.filter((o) => SOLD.has(o.status)).map((o) => o.id));
    const expected = [...f.blocks]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((b) => {
        const claimed = f.items
          .filter((i) => i.ticket_block_id === b.id && soldOrders.has(i.order_id))
          .reduce((s, i) => s + i.quantity - i.refunded_quantity, 0);
        return [
          b.name,
          b.held_for,
          typeById(b.ticket_type_id)?.name ?? '',
          num(b.allocated),
          num(claimed),
          num(b.allocated - claimed),
          pct(claimed, b.allocated),
        ];
      });
    expect(rows).toEqual(expected);
    const board = rows.find((r) => r[0] === 'Board');
    expect(Number(board?.[5])).toBeLessThan(0);
  });
});

describe('guest list', () => {
  it('filters by RSVP status', async () => {
    const { rows } = await csv('guest-list', { rsvp_status: ['maybe'] });
    expect(rows).toHaveLength(guests.filter((g) => g.rsvp_status === 'maybe').length);
    expect(rows.every((r) => r[5] === 'maybe')).toBe(true);
  });
});

describe('formula injection', () => {
  it('neutralises hostile text in every text column but keeps numbers numeric', async () => {
    const report = await generateReport(organizer, 'orders', { format: 'csv', include_bom: false });
    const text = new TextDecoder().decode(report.bytes);
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const raw = parse(text) as string[][];
    const cells = raw.slice(1).map((r) => r[2]);
    expect(cells).toContain("'=1+2");
    expect(cells).toContain("'+SUM(A1)");
    expect(cells).toContain("'-2+3");
    expect(cells).toContain("'@cmd");
    expect(cells).toContain("'\tTab");
    expect(cells).toContain('Quote "x", y');
    expect(cells).toContain('Line\nBreak');
    expect(cells).toContain('🎉 Emoji');
    expect(cells).toContain('مرحبا');
    // Behind blanks a spreadsheet skips, and full-width: neutralised too; blanks before text are not.
    for (const hostile of [' =1+2', '\u200B+SUM(A1)', '\uFEFF@cmd', '\n-2+3', '＝1+2', '＋SUM(A1)', '－2', '＠cmd']) {
      expect(cells).toContain(`'${hostile}`);
    }
    expect(cells).toContain(' Plain');
    // The raw file quotes what needs quoting (RFC 4180).
    expect(text).toContain('"Quote ""x"", y"');
  });
});
