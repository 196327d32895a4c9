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
  return `${statements.join('\n')}\n`;
}
