// The orders page and its CSV export (docs/spec/orders-export-spec-packet.txt).
//
//   GET  /v1/admin/events/:eventId/orders            the table: { data, page, limit, total, hasMore, columns }
//   GET  /v1/admin/events/:eventId/orders/filters    the filter choices (statuses, ticket types)
//   POST /v1/admin/events/:eventId/orders/export     the on-screen filters -> a background job (202)
//                                                    above ORDERS_SYNC_EXPORT_MAX_ROWS, else a download link (200)
//   GET  /v1/admin/events/:eventId/orders/export.csv the small export, streamed at once
//
// Every route needs report access to the event, checked on every request: the download of a small
// export checks it again, and a background job's file is served by the report download route, which
// checks it too. The export freezes the filters and the instant of the click: a job stores both as
// its params and snapshot_at; a small export's link carries them.

import { z } from 'zod';
import { holdersOf } from '../auth/roles';
import { requireEventAccess, requirePermission } from '../auth/session';
import { insertEventAuditStatement, listTicketTypes } from '../db/orders';
import { VERSION_RETENTION_MS } from '../db/versions';
import { ApiError, badRequest } from '../errors';
import type { AppEnv } from '../hono';
import { createJobFor, jobRequestOf } from '../http';
import { newId } from '../ids';
import { assertRecipientsMayRead } from '../jobs/create';
import { artifactFileName } from '../jobs/files';
import { log } from '../log';
import { queuedJobExample } from '../openapi/examples';
import { defineRoute, file, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { contentDisposition } from '../output/content-disposition';
import { csvHeader, readCsvChunk } from '../reports/csv';
import {
  countOrders,
  ORDER_COLUMNS,
  type OrderParams,
  orderFieldOptions,
  orderFilterShape,
  orders,
  pageOrders,
} from '../reports/orders';
import { timeStyleOf } from '../reports/params';
import type { ReportContext } from '../reports/types';
import { ZonedClock } from '../time';
import { jsonBody, parseWith } from '../validate';

const DEFAULT_SYNC_MAX_ROWS = 10_000;
/**
 * How long a direct export link is honoured: it reads the orders as they were at its snapshot, and
 * row versions are kept for twice this (db/versions.ts), so a download never outlives them.
 */
const DIRECT_EXPORT_MAX_AGE_MS = VERSION_RETENTION_MS / 2;
const STREAM_CHUNK_ROWS = 1_000;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date in the form YYYY-MM-DD');

/** The filters as the page sends them; the report's own schema validates them again. */
const filterShape = {
  ...orderFilterShape,
  date_from: isoDate.optional(),
  date_to: isoDate.optional(),
};

export const listQuery = z.strictObject({
  ...filterShape,
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const exportBody = z.strictObject({
  ...filterShape,
  spreadsheet_times: z.boolean().optional(),
  notify_emails: z.array(z.email().max(254)).max(10).default([]),
});

export const downloadQuery = z.strictObject({
  ...filterShape,
  // Said outright: zod-to-openapi reads a coerced number as nullable and optional (null becomes 0).
  snapshot_at: z.coerce
    .number()
    .int()
    .min(0)
    .openapi({ type: 'integer', minimum: 0, param: { required: true } }),
  include_bom: z.enum(['0', '1']).default('1'),
  spreadsheet_times: z.enum(['0', '1']).default('1'),
});

/** An empty field on the page means "no filter", not "match the empty string". */
function queryWithoutBlanks(query: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v.trim() !== ''));
}

function syncMaxRows(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : DEFAULT_SYNC_MAX_ROWS;
}

type Filters = Pick<OrderParams, 'status' | 'ticket_type' | 'q' | 'date_from' | 'date_to'>;

/** docs/spec/orders-export-spec-packet.txt: a non-admin "requests or downloads export", access is denied (read-only viewers). */
const exporters = requirePermission(
  'orders:export',
  `Exporting orders is for workspace ${holdersOf('orders:export')}: the file holds buyers' contact details. Ask an admin for access.`,
);

const tags = ['Orders'];

export const orderRoutes = new Routes();
orderRoutes.use(requireEventAccess('reports:read'));
orderRoutes
  .handle(
    defineRoute({
      method: 'get',
      path: '/',
      tags,
      summary: 'The orders table, filtered',
      auth: 'event',
      request: { query: listQuery },
      errors: [400],
      responses: {
        200: json(S.orderList, {
          data: [{ id: 'ord1', order_number: 'A-1001', buyer_name: 'Lee Buyer', status: 'paid' }],
          page: 1,
          limit: 25,
          total: 1,
          hasMore: false,
          columns: [{ key: 'order_number', label: 'Order number' }],
        }),
      },
    }),
    async (c) => {
      const q = parseWith(listQuery, queryWithoutBlanks(c.req.query()));
      const { page, limit, ...filters } = q;
      const ctx = await context(c.env.DB, c.get('event'), filters, c.get('now'), 'page');
      const [total, rows] = await Promise.all([countOrders(ctx), pageOrders(ctx, (page - 1) * limit, limit)]);
      return c.json({
        data: rows.map((r) => ({
          id: r.id,
          ...Object.fromEntries(ORDER_COLUMNS.map((col, i) => [col.key, r.cells[i] ?? null])),
        })),
        page,
        limit,
        total,
        hasMore: page * limit < total,
        columns: ORDER_COLUMNS.map((c) => ({ key: c.key, label: c.header })),
      });
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/filters',
      tags,
      summary: 'Choices of the order filters',
      auth: 'event',
      responses: {
        200: json(S.orderFilters, {
          statuses: [{ value: 'paid', label: 'paid' }],
          ticket_types: [{ value: 'tt1', label: 'General admission' }],
          time_zone: 'America/New_York',
        }),
      },
    }),
    async (c) => {
      // The same choices as the orders report's form: one place knows them.
      const options = await orderFieldOptions(c.env.DB, c.get('event'));
      return c.json({ statuses: options.status, ticket_types: options.ticket_type, time_zone: c.get('event').time_zone });
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/export',
      tags,
      summary: 'Export the filtered orders as CSV',
      description:
        'With the filters on screen. Above ORDERS_SYNC_EXPORT_MAX_ROWS the export becomes a background report job (202); otherwise the answer is a direct download link (200).',
      auth: 'event',
      middleware: [exporters],
      request: { body: jsonRequest(exportBody, { status: 'paid', date_from: '2026-01-01', notify_emails: [] }) },
      errors: [400, 429, 503],
      responses: {
        200: json(S.orderExportResponse, {
          mode: 'sync',
          rows: 120,
          threshold: 10_000,
          download_url: '/v1/admin/events/evacmesummit/orders/export.csv?status=paid&snapshot_at=1767225600000',
        }),
        202: json(
          S.orderExportResponse,
          { mode: 'job', rows: 12_000, threshold: 10_000, job: queuedJobExample },
          'A background job.',
        ),
      },
    }),
    async (c) => {
      const body = await jsonBody(c, exportBody);
      const { notify_emails, ...filters } = body;
      // Refused whether the export turns out small or large: the same answer for the same request.
      await assertRecipientsMayRead(c.env.DB, jobRequestOf(c), orders, notify_emails);
      const now = c.get('now');
      const event = c.get('event');
      const ctx = await context(c.env.DB, event, filters, now, 'file');
      const rows = await countOrders(ctx);
      const threshold = syncMaxRows(c.env.ORDERS_SYNC_EXPORT_MAX_ROWS);
      if (rows > threshold) {
        // Large: a background job with exactly these filters as its parameters, shown in the report center.
        const job = await createJobFor(c, { type: orders.key, params: ctx.params, notify_emails });
        log('info', 'orders_export.job', { event_id: event.id, job_id: job.resource.job_id, rows });
        return c.json({ mode: 'job', rows, threshold, job: job.resource }, 202);
      }
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(filters)) if (value && key !== 'spreadsheet_times') query.set(key, String(value));
      query.set('spreadsheet_times', ctx.params.spreadsheet_times ? '1' : '0');
      query.set('snapshot_at', String(now));
      log('info', 'orders_export.sync', { event_id: event.id, user_id: c.get('user').id, rows });
      return c.json({
        mode: 'sync',
        rows,
        threshold,
        download_url: `/v1/admin/events/${event.id}/orders/export.csv?${query.toString()}`,
      });
    },
  )
  .handle(
    defineRoute({
      method: 'get',
      path: '/export.csv',
      tags,
      summary: 'A small orders export, streamed at once',
      auth: 'event',
      middleware: [exporters],
      request: { query: downloadQuery },
      errors: [400, 410, 413],
      responses: {
        200: file('text/csv', 'The CSV file.', 'Order number,Placed at\r\nA-1001,2026-01-02 10:00\r\n'),
      },
    }),
    async (c) => {
      const q = parseWith(downloadQuery, queryWithoutBlanks(c.req.query()));
      const { snapshot_at, include_bom, spreadsheet_times, ...filters } = q;
      const event = c.get('event');
      const user = c.get('user');
      // A link cannot reach into the future: rows created after now are not exported either way.
      const now = c.get('now');
      const snapshotAt = Math.min(snapshot_at, now);
      if (now - snapshotAt > DIRECT_EXPORT_MAX_AGE_MS) {
        throw new ApiError(
          410,
          'export_link_expired',
          'This export link is more than 12 hours old. Export again from the orders page.',
        );
      }
      const ctx = await context(
        c.env.DB,
        event,
        { ...filters, include_bom: include_bom === '1', spreadsheet_times: spreadsheet_times === '1' },
        snapshotAt,
        'file',
      );
      const rows = await countOrders(ctx);
      const threshold = syncMaxRows(c.env.ORDERS_SYNC_EXPORT_MAX_ROWS);
      if (rows > threshold) {
        throw new ApiError(
          413,
          'export_too_large',
          `This export has ${rows.toLocaleString('en-US')} orders, more than the ${threshold.toLocaleString('en-US')} a direct download allows. Use Export CSV on the orders page to run it in the background.`,
        );
      }
      await insertEventAuditStatement(c.env.DB, {
        id: newId(now),
        workspace_id: event.workspace_id,
        event_id: event.id,
        actor_user_id: user.id,
        action: 'orders.exported',
        subject_type: 'event',
        subject_id: event.id,
        detail: { rows, filters, snapshot_at: snapshotAt },
        now,
      }).run();
      const fileName = artifactFileName(
        event.slug,
        orders.key,
        ctx.params.date_from,
        ctx.params.date_to ?? ctx.clock.dateOf(snapshotAt),
        'csv',
      );
      return new Response(csvStream(ctx), {
        headers: {
          'content-type': 'text/csv; charset=utf-8',
          'content-disposition': contentDisposition(fileName),
          'cache-control': 'private, no-store',
        },
      });
    },
  );

/** The report context of the page's filters, validated by the orders report's own schema. */
async function context(
  db: D1Database,
  event: AppEnv['Variables']['event'],
  filters: Filters & { include_bom?: boolean; spreadsheet_times?: boolean },
  snapshotAt: number,
  purpose: 'page' | 'file',
): Promise<ReportContext<OrderParams>> {
  const params = parseWith(orders.params, { format: 'csv', ...stripUndefined(filters) });
  if (params.ticket_type) {
    const known = (await listTicketTypes(db, event.id)).some((t) => t.id === params.ticket_type);
    if (!known) throw badRequest('ticket_type: No such ticket type in this event.', 'validation_failed');
  }
  // The page shows exact ISO times; a file follows its parameters (spreadsheet-ready by default).
  const style = purpose === 'file' ? timeStyleOf(params) : 'iso';
  return { db, job: { snapshot_at: snapshotAt }, event, params, clock: new ZonedClock(event.time_zone, style) };
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The same rows, in the same order, through the same encoder as the background job's file. */
function csvStream(ctx: ReportContext<OrderParams>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let cursor: string | null = null;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(csvHeader(orders, ctx)));
        return;
      }
      const chunk = await readCsvChunk(orders, ctx, cursor, STREAM_CHUNK_ROWS);
      if (chunk.text) controller.enqueue(encoder.encode(chunk.text));
      cursor = chunk.cursor;
      if (cursor === null) controller.close();
    },
  });
}
