// `npm run seed`: data for the local D1 that `npm start` uses (.wrangler/state, or PERSIST_DIR).
//
//   npm run seed                                          the demo source data (orders, check-ins,
//                                                         emails …) into a database loaded before
//                                                         migration 0004; idempotent
//   npm run seed -- --event evacmesummit --orders 500000  a large event for benchmarks
//               [--guests 200000] [--persist-to DIR]
//
// A large event is generated inside SQLite by a recursive CTE (INSERT … SELECT over a counter), so
// half a million orders cost one statement, not half a million. Rows are deterministic functions of
// their number; their ids start with "bo"/"bi"/"bg"/"bc" and a second run replaces them. An event
// that does not exist yet is created in the Acme workspace.

import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { demoSourceDataSql, demoSql, sql } from './demo-data';

const root = join(import.meta.dirname, '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

const { values: args } = parseArgs({
  options: {
    event: { type: 'string' },
    orders: { type: 'string', default: '0' },
    guests: { type: 'string', default: '0' },
    'persist-to': { type: 'string', default: process.env.PERSIST_DIR ?? '.wrangler/state' },
  },
});
const persistDir = args['persist-to'] ?? '.wrangler/state';

function d1(extra: string[]): string {
  const result = spawnSync(wrangler, ['d1', ...extra, '--local', '--persist-to', persistDir], {
    cwd: root,
    encoding: 'utf8',
    stdio: 'pipe',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`wrangler d1 ${extra[0]} failed with ${result.status}`);
  }
  return result.stdout ?? '';
}

function execFile(name: string, text: string): void {
  const file = join(root, '.wrangler', name);
  mkdirSync(join(root, '.wrangler'), { recursive: true });
  writeFileSync(file, text);
  d1(['execute', 'DB', '--file', file, '--yes']);
}

function select<T>(query: string): T[] {
  const out = d1(['execute', 'DB', '--json', '--command', query]);
  return (JSON.parse(out) as { results: T[] }[])[0]?.results ?? [];
}

function count(n: string | undefined, name: string): number {
  const value = Number(n ?? 0);
  if (!Number.isInteger(value) || value < 0 || value > 5_000_000)
    throw new Error(`--${name} must be a whole number up to 5,000,000`);
  return value;
}

interface Probe {
  demo: number;
  source: number;
  starts_at: number | null;
  types: number;
}

const BENCH_TYPES = [
  ['General Admission', 29900, 1_000_000],
  ['VIP', 89950, 100_000],
  ['Workshop add-on', 14950, 100_000],
] as const;

/** What is there already, in one query: every wrangler call costs seconds. */
function probe(eventId: string): Probe {
  const [row] = select<Probe>(
    `SELECT (SELECT COUNT(*) FROM users WHERE email = 'admin@acme.test') AS demo,
            (SELECT COUNT(*) FROM orders WHERE event_id = 'evacmesummit') AS source,
            (SELECT starts_at FROM events WHERE id = ${sql(eventId)}) AS starts_at,
            (SELECT COUNT(*) FROM ticket_types WHERE event_id = ${sql(eventId)}) AS types`,
  );
  if (!row) throw new Error('could not read the database');
  return row;
}

/** A missing event is created in the Acme workspace, with three ticket types if it has none. */
function eventSql(eventId: string, found: Probe): { sql: string; startsAt: number; types: number } {
  if (!/^[a-z0-9]{1,40}$/.test(eventId)) throw new Error('--event must be an event id: lowercase letters and digits');
  const statements: string[] = [];
  let startsAt = found.starts_at;
  if (startsAt === null) {
    startsAt = Date.UTC(2026, 9, 1, 13);
    statements.push(`INSERT INTO events (id, workspace_id, name, slug, time_zone, starts_at, ends_at, created_at)
VALUES (${sql(eventId)}, 'wsacme', ${sql(`Benchmark event ${eventId}`)}, ${sql(`benchmark-${eventId}`)}, 'America/New_York',
        ${startsAt}, ${startsAt + 10 * 3_600_000}, ${Date.UTC(2026, 0, 5)});`);
    console.log(`Creating event ${eventId} in Acme Events.`);
  }
  let types = found.types;
  if (types === 0) {
    const created = Date.UTC(2026, 0, 5);
    statements.push(`INSERT INTO ticket_types (id, event_id, name, currency, price_cents, capacity, sort_order, created_at) VALUES
${BENCH_TYPES.map(([name, price, cap], i) => `(${sql(`tt${eventId}b${i + 1}`)}, ${sql(eventId)}, ${sql(name)}, 'USD', ${price}, ${cap}, ${i + 1}, ${created})`).join(',\n')};`);
    types = BENCH_TYPES.length;
  }
  return { sql: statements.join('\n'), startsAt, types };
}

/**
 * One order per counter value i. "Random" choices are i times a large odd constant modulo a prime:
 * deterministic, spread evenly, no two neighbours alike.
 */
function largeEventSql(event: { id: string; starts_at: number }, typeCount: number, orders: number, guests: number): string {
  const ev = sql(event.id);
  // Orders are spread over the 180 days before the event, never later than an hour ago.
  const end = Math.min(event.starts_at - 86_400_000, Date.now() - 3_600_000);
  const start = end - 180 * 86_400_000;
  const span = end - start;
  const hash = (salt: number) => `((i * 2654435761 + ${salt}) % 1000003)`;
  // Each order gets its own slot of the span, so placed_at grows with i: the indexes are then filled
  // by appending, which is what makes half a million rows take seconds instead of minutes.
  const slot = Math.max(1, Math.floor(span / Math.max(orders, 1)));
  const typeTable = `tt(k, id, price, currency) AS (
    SELECT row_number() OVER (ORDER BY sort_order, id) - 1, id, price_cents, currency FROM ticket_types WHERE event_id = ${ev})`;
  const counter = (n: number) => `n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${n - 1})`;
  // A partial refund gives back half of one ticket's price (a goodwill refund); no ticket returns.
  const orderRow = `
    SELECT i, tt.id AS type_id, tt.price AS price, tt.currency AS currency,
           1 + (${hash(7)} % 10 >= 7) + (${hash(11)} % 10 >= 9) AS qty,
           CASE WHEN i % 20 < 16 THEN 'paid' WHEN i % 20 = 16 THEN 'pending' WHEN i % 20 = 17 THEN 'cancelled'
                WHEN i % 20 = 18 THEN 'refunded' ELSE 'partially_refunded' END AS status,
           ${start} + i * ${slot} + ${hash(0)} % ${slot} AS placed
      FROM n JOIN tt ON tt.k = ${hash(3)} % ${typeCount}`;
  // Generated rows have an id prefix per table. A new run replaces them (children first) and drops
  // the copies the delete triggers kept: generated rows are not history anyone reads.
  const generated = [
    ['order_items', 'order_items_versions', 'bi'],
    ['orders', 'orders_versions', 'bo'],
    ['check_ins', 'check_ins_versions', 'bc'],
    ['guests', 'guest_versions', 'bg'],
  ] as const;
  const statements = generated.flatMap(([table, versions, prefix]) => {
    const range = `event_id = ${ev} AND id >= '${prefix}' AND id < '${prefix[0]}${String.fromCharCode(prefix.charCodeAt(1) + 1)}'`;
    return [`DELETE FROM ${table} WHERE ${range};`, `DELETE FROM ${versions} WHERE ${range};`];
  });
  if (orders > 0) {
    statements.push(`WITH RECURSIVE ${counter(orders)}, ${typeTable}, o AS (${orderRow})
INSERT INTO orders (id, event_id, order_number, buyer_name, buyer_email, status, currency, total_cents, refunded_cents,
                    ticket_count, placed_at, created_at, updated_at)
SELECT 'bo' || ${ev} || printf('%07d', i), ${ev}, 'BEN-' || (1000000 + i), 'Buyer ' || i, 'buyer' || i || '@bench.test',
       status, currency, qty * price,
       CASE status WHEN 'refunded' THEN qty * price WHEN 'partially_refunded' THEN price / 2 ELSE 0 END,
       qty, placed, placed, placed
  FROM o;`);
    statements.push(`WITH RECURSIVE ${counter(orders)}, ${typeTable}, o AS (${orderRow})
INSERT INTO order_items (id, order_id, event_id, ticket_type_id, ticket_block_id, quantity, unit_price_cents,
                         refunded_quantity, refunded_cents, created_at)
SELECT 'bi' || ${ev} || printf('%07d', i), 'bo' || ${ev} || printf('%07d', i), ${ev}, type_id, NULL, qty, price,
       CASE status WHEN 'refunded' THEN qty ELSE 0 END,
       CASE status WHEN 'refunded' THEN qty * price WHEN 'partially_refunded' THEN price / 2 ELSE 0 END,
       placed
  FROM o;`);
  }
  if (guests > 0) {
    // Once the event has begun, two thirds of those who said yes come, over five hours from an
    // hour before the doors open.
    const checkedIn =
      event.starts_at < Date.now()
        ? `CASE WHEN i % 6 < 3 AND i % 3 > 0 THEN ${event.starts_at - 3_600_000} + ((i * 7919) % 18000) * 1000 END`
        : 'NULL';
    statements.push(`WITH RECURSIVE ${counter(guests)}
INSERT INTO guests (id, event_id, first_name, last_name, email, company, ticket_type, rsvp_status, registered_at,
                    checked_in_at, created_at, updated_at)
SELECT 'bg' || ${ev} || printf('%07d', i), ${ev}, 'Guest' || i, 'Bench' || printf('%05d', ${hash(5)} % 50000),
       'guest' || i || '@bench.test', 'Company ' || (i % 997),
       CASE WHEN i % 10 < 8 THEN 'General Admission' ELSE 'VIP' END,
       CASE WHEN i % 6 < 3 THEN 'attending' WHEN i % 6 = 3 THEN 'maybe' WHEN i % 6 = 4 THEN 'declined' ELSE 'invited' END,
       ${start} + ${hash(0)} * ${span} / 1000003, ${checkedIn},
       ${start} + ${hash(0)} * ${span} / 1000003, ${start} + ${hash(0)} * ${span} / 1000003
  FROM n;`);
    if (event.starts_at < Date.now()) {
      statements.push(`INSERT INTO check_ins (id, event_id, guest_id, scanned_at, entrance, device, scanned_by, created_at)
SELECT 'bc' || substr(id, 3), event_id, id, checked_in_at,
       CASE WHEN CAST(substr(id, -7) AS INTEGER) % 2 = 0 THEN 'Main entrance' ELSE 'North hall' END,
       'Bench-' || (CAST(substr(id, -7) AS INTEGER) % 8), 'Bench staff', checked_in_at
  FROM guests WHERE event_id = ${ev} AND id >= 'bg' AND id < 'bh' AND checked_in_at IS NOT NULL;`);
    }
  }
  return `${statements.join('\n')}\n`;
}

function main(): void {
  const started = Date.now();
  d1(['migrations', 'apply', 'DB']);
  const found = probe(args.event ?? 'evacmesummit');
  const parts: string[] = [];
  if (found.demo === 0) {
    parts.push(demoSql());
    console.log('Loading the demo data.');
  } else if (found.source === 0) {
    // A database loaded before migration 0004 has users and guests but no orders, emails, check-ins.
    parts.push(demoSourceDataSql());
    console.log('Loading the demo source data (orders, check-ins, emails, leads, logs).');
  }
  let generated = '';
  if (args.event) {
    const orders = count(args.orders, 'orders');
    const guests = count(args.guests, 'guests');
    const event = eventSql(args.event, found);
    parts.push(event.sql, largeEventSql({ id: args.event, starts_at: event.startsAt }, event.types, orders, guests));
    generated = `Event ${args.event}: ${orders.toLocaleString('en-US')} orders and ${guests.toLocaleString('en-US')} guests generated. `;
  }
  if (parts.length > 0) execFile('seed.sql', parts.join('\n'));
  console.log(`${generated}Done in ${((Date.now() - started) / 1000).toFixed(1)} s (database: ${persistDir}).`);
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
