// Source data for the report tests (migration 0004), on top of helpers.ts's seedFixture: small,
// deterministic, with hostile cells, and with times on both sides of the March 2026 DST change in
// New York (2026-03-08 07:00 UTC: 02:00 EST becomes 03:00 EDT). The rows are returned as plain
// objects so a test can compute what a report must contain without the report's SQL.

import { env } from 'cloudflare:workers';
import { parse } from 'csv-parse/sync';
import { expect } from 'vitest';
import { EVENT_ID, type FixtureGuest, HOSTILE_NAMES, OTHER_EVENT_ID, request, USERS, waitForStatus } from './helpers';

export const DST_CHANGE = Date.UTC(2026, 2, 8, 7);
const MIN = 60_000;
const HOUR = 3_600_000;

/** Every report type, in the catalog's order. */
export const REPORT_TYPE_KEYS = [
  'guest-list',
  'activity-log',
  'email-deliverability',
  'graphical-check-in',
  'ticketing',
  'attendance',
  'registration-timeline',
  'sponsor-leads',
  'ticket-block-utilization',
  'orders',
  'audit-log',
] as const;

export interface TicketType {
  id: string;
  name: string;
  currency: string;
  price_cents: number;
  capacity: number;
  sort_order: number;
}
export interface Block {
  id: string;
  ticket_type_id: string;
  name: string;
  held_for: string;
  allocated: number;
}
export interface Order {
  id: string;
  order_number: string;
  buyer_name: string;
  buyer_email: string;
  status: string;
  currency: string;
  total_cents: number;
  refunded_cents: number;
  ticket_count: number;
  placed_at: number;
  created_at: number;
}
export interface Item {
  id: string;
  order_id: string;
  ticket_type_id: string;
  ticket_block_id: string | null;
  quantity: number;
  unit_price_cents: number;
  refunded_quantity: number;
  refunded_cents: number;
  created_at: number;
}
export interface CheckIn {
  id: string;
  guest_id: string;
  scanned_at: number;
  entrance: string;
  device: string;
  scanned_by: string;
}
export interface Sponsor {
  id: string;
  name: string;
  tier: string;
}
export interface Lead {
  id: string;
  sponsor_id: string;
  full_name: string;
  email: string;
  company: string;
  job_title: string;
  rating: string;
  notes: string;
  scanned_by: string;
  scanned_at: number;
}
export interface Message {
  id: string;
  campaign: string;
  recipient: string;
  sent_at: number;
}
export interface EmailEvent {
  id: string;
  message_id: string;
  kind: string;
  occurred_at: number;
}
export interface Activity {
  id: string;
  occurred_at: number;
  actor_type: string;
  actor_name: string;
  action: string;
  detail: string;
}
export interface Audit {
  id: string;
  workspace_id: string;
  event_id: string | null;
  actor_user_id: string | null;
  action: string;
  subject_type: string;
  subject_id: string;
  detail: string;
  created_at: number;
}

export interface SourceFixture {
  ticketTypes: TicketType[];
  blocks: Block[];
  orders: Order[];
  items: Item[];
  checkIns: CheckIn[];
  sponsors: Sponsor[];
  leads: Lead[];
  messages: Message[];
  emailEvents: EmailEvent[];
  activities: Activity[];
  audits: Audit[];
}

const hostile = (i: number, fallback: string) => HOSTILE_NAMES[i % HOSTILE_NAMES.length] ?? fallback;

export function buildSourceFixture(guests: FixtureGuest[]): SourceFixture {
  const ticketTypes: TicketType[] = [
    { id: 'tta', name: 'General', currency: 'USD', price_cents: 12550, capacity: 100, sort_order: 1 },
    { id: 'ttb', name: 'VIP', currency: 'USD', price_cents: 50000, capacity: 10, sort_order: 2 },
    { id: 'ttc', name: 'Euro seat', currency: 'EUR', price_cents: 9900, capacity: 0, sort_order: 3 },
  ];
  const blocks: Block[] = [
    { id: 'tba', ticket_type_id: 'tta', name: 'Press pool', held_for: '=1+2', allocated: 5 },
    { id: 'tbb', ticket_type_id: 'ttb', name: 'Board', held_for: 'Board, "members"', allocated: 2 },
  ];
  const STATUSES = ['paid', 'paid', 'pending', 'refunded', 'partially_refunded', 'paid', 'cancelled', 'paid', 'paid', 'paid'];
  const orders: Order[] = [];
  const items: Item[] = [];
  for (let i = 0; i < 60; i++) {
    const placedAt = Date.UTC(2026, 2, 7) + i * 90 * MIN; // 7 Mar 00:00Z to 10 Mar 16:30Z, across the change
    const status = STATUSES[i % STATUSES.length] ?? 'paid';
    const first = ticketTypes[i % 3] as TicketType;
    const lines: { type: TicketType; quantity: number; block: string | null }[] = [
      {
        type: first,
        quantity: 1 + (i % 2),
        block: first.id === 'tta' && i % 6 === 0 ? 'tba' : first.id === 'ttb' && i % 5 === 1 ? 'tbb' : null,
      },
    ];
    if (first.id === 'ttb' && i % 4 === 1) lines.push({ type: ticketTypes[0] as TicketType, quantity: 1, block: null });
    const id = `ord${String(i).padStart(3, '0')}`;
    let refunded = 0;
    lines.forEach((l, n) => {
      const refundedQty = status === 'refunded' ? l.quantity : status === 'partially_refunded' && n === 0 ? 1 : 0;
      refunded += refundedQty * l.type.price_cents;
      items.push({
        id: `${id}i${n}`,
        order_id: id,
        ticket_type_id: l.type.id,
        ticket_block_id: l.block,
        quantity: l.quantity,
        unit_price_cents: l.type.price_cents,
        refunded_quantity: refundedQty,
        refunded_cents: refundedQty * l.type.price_cents,
        created_at: placedAt,
      });
    });
    orders.push({
      id,
      order_number: `ACM-${1000 + i}`,
      buyer_name: i < HOSTILE_NAMES.length ? hostile(i, '') : `Buyer ${i}`,
      buyer_email: `buyer${i}@example.test`,
      status,
      currency: first.currency,
      total_cents: lines.reduce((s, l) => s + l.quantity * l.type.price_cents, 0),
      refunded_cents: refunded,
      ticket_count: lines.reduce((s, l) => s + l.quantity, 0),
      placed_at: placedAt,
      created_at: placedAt,
    });
  }

  // Door scans on the night of the change: 06:00Z to 08:00Z is 01:00 EST to 04:00 EDT.
  const checkIns: CheckIn[] = guests
    .filter((_, i) => i % 3 === 0)
    .map((g, n) => ({
      id: `ci${String(n).padStart(4, '0')}`,
      guest_id: g.id,
      scanned_at: DST_CHANGE - HOUR + n * 72_000,
      entrance: n % 2 ? 'Main' : '=Side door',
      device: n % 4 ? 'iPad-1' : '@dev',
      scanned_by: 'Door staff',
    }));
  // A second scan of the first guest: attendance counts people, graphical check-in counts scans.
  const firstGuest = guests[0];
  if (firstGuest) {
    checkIns.push({
      id: 'ci9999',
      guest_id: firstGuest.id,
      scanned_at: DST_CHANGE + 3 * HOUR,
      entrance: 'Main',
      device: 'iPad-1',
      scanned_by: 'Door staff',
    });
  }

  const sponsors: Sponsor[] = [
    { id: 'spa', name: 'Globex', tier: 'gold' },
    { id: 'spb', name: '@Initech', tier: 'silver' },
  ];
  const leads: Lead[] = [];
  for (let i = 0; i < 40; i++) {
    const g = guests[(i * 2) % guests.length] as FixtureGuest;
    leads.push({
      id: `ld${String(i).padStart(3, '0')}`,
      sponsor_id: i % 3 === 0 ? 'spb' : 'spa',
      full_name: `${g.first_name} ${g.last_name}`,
      email: g.email,
      company: g.company,
      job_title: i % 5 === 0 ? '-VP Sales' : 'Engineer',
      rating: ['hot', 'warm', 'cold'][i % 3] ?? 'warm',
      notes: hostile(i, ''),
      scanned_by: 'Booth 1',
      scanned_at: DST_CHANGE - 2 * HOUR + i * 10 * MIN,
    });
  }

  const campaigns = [
    { name: 'Invite', at: Date.UTC(2026, 1, 1, 15) },
    { name: 'Reminder', at: Date.UTC(2026, 1, 20, 15) },
    { name: '=Survey', at: Date.UTC(2026, 2, 20, 15) },
  ];
  const messages: Message[] = [];
  const emailEvents: EmailEvent[] = [];
  campaigns.forEach((c, ci) => {
    for (let i = 0; i < 50; i++) {
      const id = `em${ci}${String(i).padStart(3, '0')}`;
      const sentAt = c.at + i * 1000;
      messages.push({ id, campaign: c.name, recipient: `guest${i}@example.test`, sent_at: sentAt });
      const add = (kind: string, after: number) =>
        emailEvents.push({ id: `ee${id}${kind}`, message_id: id, kind, occurred_at: sentAt + after });
      if ((i + ci) % 10 === 0) add('bounced', 5_000);
      else if ((i + ci) % 10 === 5)
        continue; // no answer yet
      else {
        add('delivered', 2_000);
        if (i % 3 === 0) add('opened', HOUR);
        if (i === 7) add('complained', 2 * HOUR);
      }
    }
  });
  // A duplicate "opened" must not count the message twice.
  emailEvents.push({ id: 'eedup', message_id: 'em0003', kind: 'opened', occurred_at: Date.UTC(2026, 1, 2) });

  const ACTIONS = ['guest.registered', 'rsvp.changed', 'order.placed', 'guest.checked_in'];
  const activities: Activity[] = [];
  for (let i = 0; i < 80; i++) {
    activities.push({
      id: `ac${String(i).padStart(3, '0')}`,
      occurred_at: DST_CHANGE - 9 * HOUR + i * 20 * MIN,
      actor_type: ['guest', 'staff', 'system'][i % 3] ?? 'guest',
      actor_name: i % 4 === 0 ? hostile(i / 4, 'Actor') : `Actor ${i}`,
      action: ACTIONS[i % ACTIONS.length] ?? 'guest.registered',
      detail: i % 2 ? hostile(i, '') : `Detail ${i}, "quoted"`,
    });
  }

  const audits: Audit[] = [];
  for (let i = 0; i < 20; i++) {
    audits.push({
      id: `au${String(i).padStart(3, '0')}`,
      workspace_id: 'wacme',
      event_id: EVENT_ID,
      actor_user_id: i % 5 === 4 ? null : i % 2 ? USERS.admin.id : USERS.organizer.id,
      action: ['ticket_type.price_changed', 'event.updated', 'order.refunded'][i % 3] ?? 'event.updated',
      subject_type: 'event',
      subject_id: EVENT_ID,
      detail: JSON.stringify({ note: hostile(i, 'x'), n: i }),
      created_at: Date.UTC(2026, 1, 1) + i * 12 * HOUR,
    });
  }
  // Not this event's: another workspace, and a workspace-wide entry.
  audits.push({
    id: 'auother',
    workspace_id: 'wglobex',
    event_id: OTHER_EVENT_ID,
    actor_user_id: USERS.globex.id,
    action: 'event.updated',
    subject_type: 'event',
    subject_id: OTHER_EVENT_ID,
    detail: '{}',
    created_at: Date.UTC(2026, 1, 3),
  });
  audits.push({
    id: 'auworkspace',
    workspace_id: 'wacme',
    event_id: null,
    actor_user_id: USERS.admin.id,
    action: 'member.invited',
    subject_type: 'user',
    subject_id: USERS.viewer.id,
    detail: '{}',
    created_at: Date.UTC(2026, 1, 4),
  });

  return { ticketTypes, blocks, orders, items, checkIns, sponsors, leads, messages, emailEvents, activities, audits };
}

/** Insert the fixture into D1 (after seedFixture). */
export async function seedSourceFixture(guests: FixtureGuest[]): Promise<SourceFixture> {
  const f = buildSourceFixture(guests);
  const db = env.DB;
  const statements: D1PreparedStatement[] = [];
  const t0 = Date.UTC(2026, 0, 10);
  for (const t of f.ticketTypes) {
    statements.push(
      db
        .prepare('INSERT INTO ticket_types VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(t.id, EVENT_ID, t.name, t.currency, t.price_cents, t.capacity, t.sort_order, t0),
    );
  }
  for (const b of f.blocks) {
    statements.push(
      db
        .prepare('INSERT INTO ticket_blocks VALUES (?, ?, ?, ?, ?, ?, ?)')
        .bind(b.id, EVENT_ID, b.ticket_type_id, b.name, b.held_for, b.allocated, t0),
    );
  }
  for (const o of f.orders) statements.push(insertOrderStatement(o));
  for (const i of f.items) statements.push(insertItemStatement(i));
  for (const c of f.checkIns) {
    statements.push(
      db
        .prepare('INSERT INTO check_ins VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(c.id, EVENT_ID, c.guest_id, c.scanned_at, c.entrance, c.device, c.scanned_by, c.scanned_at),
    );
  }
  for (const s of f.sponsors) {
    statements.push(db.prepare('INSERT INTO sponsors VALUES (?, ?, ?, ?, ?)').bind(s.id, EVENT_ID, s.name, s.tier, t0));
  }
  for (const l of f.leads) {
    statements.push(
      db
        .prepare('INSERT INTO sponsor_leads VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(
          l.id,
          EVENT_ID,
          l.sponsor_id,
          l.full_name,
          l.email,
          l.company,
          l.job_title,
          l.rating,
          l.notes,
          l.scanned_by,
          l.scanned_at,
          l.scanned_at,
        ),
    );
  }
  for (const m of f.messages) {
    statements.push(
      db
        .prepare('INSERT INTO email_messages VALUES (?, ?, ?, ?, ?, NULL, ?, ?)')
        .bind(m.id, EVENT_ID, m.campaign, `Subject of ${m.campaign}`, m.recipient, m.sent_at, m.sent_at),
    );
  }
  for (const e of f.emailEvents) {
    statements.push(
      db
        .prepare("INSERT INTO email_events VALUES (?, ?, ?, ?, '', ?, ?)")
        .bind(e.id, e.message_id, EVENT_ID, e.kind, e.occurred_at, e.occurred_at),
    );
  }
  for (const a of f.activities) {
    statements.push(
      db
        .prepare('INSERT INTO activity_log VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .bind(a.id, EVENT_ID, a.occurred_at, a.actor_type, a.actor_name, a.action, a.detail, a.occurred_at),
    );
  }
  for (const a of f.audits) {
    statements.push(
      db
        .prepare(
          `INSERT INTO audit_log (id, workspace_id, event_id, actor_user_id, action, subject_type, subject_id, detail, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .bind(a.id, a.workspace_id, a.event_id, a.actor_user_id, a.action, a.subject_type, a.subject_id, a.detail, a.created_at),
    );
  }
  await db.batch(statements);
  return f;
}

export function insertOrderStatement(o: Order): D1PreparedStatement {
  return env.DB.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').bind(
    o.id,
    EVENT_ID,
    o.order_number,
    o.buyer_name,
    o.buyer_email,
    o.status,
    o.currency,
    o.total_cents,
    o.refunded_cents,
    o.ticket_count,
    o.placed_at,
    o.created_at,
    o.created_at,
  );
}

export function insertItemStatement(i: Item): D1PreparedStatement {
  return env.DB.prepare('INSERT INTO order_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').bind(
    i.id,
    i.order_id,
    EVENT_ID,
    i.ticket_type_id,
    i.ticket_block_id,
    i.quantity,
    i.unit_price_cents,
    i.refunded_quantity,
    i.refunded_cents,
    i.created_at,
  );
}

export interface GeneratedReport {
  job_id: string;
  status: string;
  bytes: Uint8Array;
  file_name: string;
  content_type: string;
  row_count: number;
}

/** Ask for a report through the API, wait for the runner, and read the artifact from R2. */
export async function generateReport(
  cookie: string,
  type: string,
  params: Record<string, unknown>,
  eventId = EVENT_ID,
): Promise<GeneratedReport> {
  const res = await request(`/v1/admin/events/${eventId}/reports/jobs`, {
    method: 'POST',
    cookie,
    json: { type, params, notify_emails: [] },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const { job_id } = await res.json<{ job_id: string }>();
  const job = await waitForStatus(job_id, ['completed', 'failed']);
  expect(job.failure_reason, `job ${type} failed`).toBeNull();
  return readArtifact(job_id);
}

export async function readArtifact(jobId: string): Promise<GeneratedReport> {
  const artifact = await env.DB.prepare('SELECT * FROM event_report_job_artifacts WHERE job_id = ?')
    .bind(jobId)
    .first<{ r2_key: string; file_name: string; content_type: string; row_count: number }>();
  if (!artifact) throw new Error(`no artifact for ${jobId}`);
  const object = await env.REPORTS_BUCKET.get(artifact.r2_key);
  if (!object) throw new Error(`no object for ${jobId}`);
  return {
    job_id: jobId,
    status: 'completed',
    bytes: new Uint8Array(await object.arrayBuffer()),
    file_name: artifact.file_name,
    content_type: object.httpMetadata?.contentType ?? artifact.content_type,
    row_count: artifact.row_count,
  };
}

/**
 * A cell a spreadsheet would execute: = + - @ or their full-width forms, after any leading blanks
 * (Unicode white space, zero-width spaces, a BOM), or a leading TAB or CR. Written here from the
 * documented rule, not imported from the writer, so the tests check the writer against it.
 */
export const FORMULA_CELL = /^(?:[\s\u200B-\u200D\u2060]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;

/** Undo the documented formula neutralisation: the leading apostrophe of a cell that is a formula without it. */
export const unneutralise = (cell: string) => (cell.startsWith("'") && FORMULA_CELL.test(cell.slice(1)) ? cell.slice(1) : cell);

/** The CSV's header and rows, with the neutralisation undone so cells compare with the source values. */
export function parseCsv(bytes: Uint8Array): { header: string[]; rows: string[][] } {
  const all = parse(new TextDecoder().decode(bytes), { bom: true, relax_column_count: false }) as string[][];
  return { header: all[0] ?? [], rows: all.slice(1).map((r) => r.map(unneutralise)) };
}

/** How a CSV cell of a number reads: 125.5, -3, or empty for null. */
export const num = (n: number | null) => (n === null ? '' : String(n));
export const pct = (part: number, whole: number) => (whole > 0 ? String(Math.round((part / whole) * 1000) / 10) : '');
export const money = (cents: number) => String(cents / 100);
