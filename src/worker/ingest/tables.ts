// What the events platform may push, table by table: one zod schema per row (the ingest API
// validates with it, the OpenAPI document is generated from it), the columns that name another row
// of the same event, and whether the table keeps an `updated_at`. The schema's keys are the columns
// written, in order; `event_id` comes from the path and `created_at` is the time the row arrived
// (a report leaves out rows created after its snapshot, so it must be our clock, not the platform's).

import { z } from 'zod';
import type { SourceTable } from '../db/versions';

/** The platform's own ids: what it calls the row. Upserts and deletes are idempotent by them. */
export const rowId = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/, 'must be 1–128 letters, digits, ".", "_", ":" or "-"');
/** An instant: epoch milliseconds (UTC). */
const instant = z.number().int().min(0).max(8_640_000_000_000_000);
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be a three-letter ISO 4217 code');
/** Text as the platform has it: hostile values (formulas, newlines, right-to-left) are data, kept as they are. */
const text = (max: number) => z.string().max(max);
const label = (max: number) => z.string().min(1).max(max);

export interface IngestTable {
  row: z.ZodObject;
  /** Column → the table whose row (of the same event) it names. */
  refs: Record<string, SourceTable>;
  /** guests and orders keep when the row last changed. */
  hasUpdatedAt: boolean;
}

export const INGEST_TABLES = {
  guests: {
    row: z.strictObject({
      id: rowId,
      first_name: text(200),
      last_name: text(200),
      email: text(254),
      company: text(200).default(''),
      ticket_type: label(200),
      rsvp_status: z.enum(['attending', 'maybe', 'declined', 'invited']),
      registered_at: instant,
      checked_in_at: instant.nullable().default(null),
    }),
    refs: {},
    hasUpdatedAt: true,
  },
  ticket_types: {
    row: z.strictObject({
      id: rowId,
      name: label(200),
      currency,
      price_cents: count,
      capacity: count,
      sort_order: z.number().int().min(-1_000_000).max(1_000_000).default(0),
    }),
    refs: {},
    hasUpdatedAt: false,
  },
  ticket_blocks: {
    row: z.strictObject({
      id: rowId,
      ticket_type_id: rowId,
      name: label(200),
      held_for: text(200),
      allocated: count,
    }),
    refs: { ticket_type_id: 'ticket_types' },
    hasUpdatedAt: false,
  },
  orders: {
    row: z.strictObject({
      id: rowId,
      order_number: label(64),
      buyer_name: text(200),
      buyer_email: text(254),
      status: z.enum(['pending', 'paid', 'partially_refunded', 'refunded', 'cancelled']),
      currency,
      total_cents: count,
      refunded_cents: count.default(0),
      ticket_count: count,
      placed_at: instant,
    }),
    refs: {},
    hasUpdatedAt: true,
  },
  order_items: {
    row: z.strictObject({
      id: rowId,
      order_id: rowId,
      ticket_type_id: rowId,
      ticket_block_id: rowId.nullable().default(null),
      quantity: z.number().int().min(1).max(1_000_000),
      unit_price_cents: count,
      refunded_quantity: count.default(0),
      refunded_cents: count.default(0),
    }),
    refs: { order_id: 'orders', ticket_type_id: 'ticket_types', ticket_block_id: 'ticket_blocks' },
    hasUpdatedAt: false,
  },
  check_ins: {
    row: z.strictObject({
      id: rowId,
      guest_id: rowId,
      scanned_at: instant,
      entrance: text(200),
      device: text(200),
      scanned_by: text(200),
    }),
    refs: { guest_id: 'guests' },
    hasUpdatedAt: false,
  },
  sponsors: {
    row: z.strictObject({
      id: rowId,
      name: label(200),
      tier: z.enum(['platinum', 'gold', 'silver', 'bronze']),
    }),
    refs: {},
    hasUpdatedAt: false,
  },
  sponsor_leads: {
    row: z.strictObject({
      id: rowId,
      sponsor_id: rowId,
      guest_id: rowId.nullable().default(null),
      full_name: text(200),
      email: text(254),
      company: text(200).default(''),
      job_title: text(200).default(''),
      rating: z.enum(['hot', 'warm', 'cold']),
      notes: text(4000).default(''),
      scanned_by: text(200),
      scanned_at: instant,
    }),
    refs: { sponsor_id: 'sponsors', guest_id: 'guests' },
    hasUpdatedAt: false,
  },
  email_messages: {
    row: z.strictObject({
      id: rowId,
      campaign: text(200),
      subject: text(500),
      recipient: text(254),
      guest_id: rowId.nullable().default(null),
      sent_at: instant,
    }),
    refs: { guest_id: 'guests' },
    hasUpdatedAt: false,
  },
  email_events: {
    row: z.strictObject({
      id: rowId,
      message_id: rowId,
      kind: z.enum(['delivered', 'bounced', 'complained', 'opened']),
      detail: text(2000).default(''),
      occurred_at: instant,
    }),
    refs: { message_id: 'email_messages' },
    hasUpdatedAt: false,
  },
  activity_log: {
    row: z.strictObject({
      id: rowId,
      occurred_at: instant,
      actor_type: z.enum(['guest', 'staff', 'system']),
      actor_name: text(200),
      action: label(200),
      detail: text(4000).default(''),
    }),
    refs: {},
    hasUpdatedAt: false,
  },
} as const satisfies Record<SourceTable, IngestTable>;

export type IngestTableName = keyof typeof INGEST_TABLES;
export const INGEST_TABLE_NAMES = Object.keys(INGEST_TABLES) as IngestTableName[];

/** At most this many rows (or ids) per request: one D1 batch, well inside the per-invocation query limit. */
export const MAX_BATCH_ROWS = 1000;

/** Ids must be unique within one request: two versions of a row in one batch would be ambiguous. */
function uniqueIds<T extends { id: string }>(rows: T[], ctx: z.RefinementCtx, field: string) {
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (seen.has(row.id))
      ctx.addIssue({ code: 'custom', path: [field, i, 'id'], message: `duplicate id "${row.id}" in this batch` });
    seen.add(row.id);
  });
}

export function upsertBody<S extends z.ZodObject>(row: S) {
  return z
    .strictObject({ data: z.array(row).min(1).max(MAX_BATCH_ROWS) })
    .superRefine((body, ctx) => uniqueIds(body.data as { id: string }[], ctx, 'data'));
}

export const upsertBodies = Object.fromEntries(INGEST_TABLE_NAMES.map((t) => [t, upsertBody(INGEST_TABLES[t].row)])) as {
  [T in IngestTableName]: ReturnType<typeof upsertBody<(typeof INGEST_TABLES)[T]['row']>>;
};

export const deleteBody = z.strictObject({
  ids: z
    .array(rowId)
    .min(1)
    .max(MAX_BATCH_ROWS)
    .refine((ids) => new Set(ids).size === ids.length, 'ids must be unique'),
});

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Events: ids appear in URLs, so they are lowercase letters and digits. */
export const eventRow = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]{1,64}$/, 'must be 1–64 lowercase letters or digits'),
    name: label(200),
    slug: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lowercase words joined by "-"')
      .max(100),
    time_zone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. "Europe/Berlin"'),
    starts_at: instant,
    ends_at: instant,
  })
  .refine((e) => e.ends_at >= e.starts_at, { path: ['ends_at'], message: 'must not be before starts_at' });

export const eventsUpsertBody = z
  .strictObject({ data: z.array(eventRow).min(1).max(MAX_BATCH_ROWS) })
  .superRefine((body, ctx) => uniqueIds(body.data, ctx, 'data'));

export const eventsDeleteBody = z.strictObject({
  ids: z
    .array(z.string().regex(/^[a-z0-9]{1,64}$/))
    .min(1)
    .max(MAX_BATCH_ROWS)
    .refine((ids) => new Set(ids).size === ids.length, 'ids must be unique'),
});
