/// <reference types="@cloudflare/workers-types/2023-07-01" />
// Where the runner's time goes, measured inside workerd against the same local D1 and R2 the app
// uses. Each mode adds one stage of the pipeline to the previous one, so the differences between
// them are the stages' costs (workerd's clock only moves on I/O, so timing a synchronous stage on
// its own would read 0: stages are measured as whole runs between two I/O points instead).
//
//   sql      the orders SELECT in keyset pages, .raw() rows, nothing else
//   sqlall   the same with .all() (row objects), for the raw() comparison
//   read     orders.readChunk: + cell mapping (time zone formatting, money) + cursor
//   encode   + csvRow per row and TextEncoder per chunk (the runner's loop, without R2)
//   upload   + the MultipartWriter into R2 in 5 MiB parts (the object is deleted after)
//   job      the whole runner (runReportJob) on a fresh job: + claim, heartbeats, checkpoints, complete
//   cpu      no I/O: the first `rows` rows fetched once, then mapped and encoded `repeat` times
//   overlap  `upload` with the next page's query issued before this page is encoded and uploaded
//   yield    `upload` with a macrotask turn (setTimeout 0) after every page
//   direct   `upload` with rows encoded one by one (encodeInto) into a reusable buffer, no page string

import { findEvent } from '../../src/worker/db/events';
import { insertJob } from '../../src/worker/db/jobs';
import type { Env } from '../../src/worker/env';
import { newId } from '../../src/worker/ids';
import { runReportJob } from '../../src/worker/jobs/runner';
import { csvRow } from '../../src/worker/output/csv';
import { MultipartWriter } from '../../src/worker/output/multipart';
import { type OrderParams, orders } from '../../src/worker/reports/orders';
import type { ReportContext } from '../../src/worker/reports/types';
import { ZonedClock } from '../../src/worker/time';

// The orders report's SELECT and keyset (reports/orders.ts), for the modes that skip its mapping.
const SELECT = `SELECT o.placed_at, o.id, o.order_number, o.buyer_name, o.buyer_email, o.status,
    (SELECT group_concat(t.name || ' × ' || i.quantity, '; ' ORDER BY t.sort_order, t.id, i.id)
       FROM order_items i JOIN ticket_types t ON t.id = i.ticket_type_id
      WHERE i.order_id = o.id) AS tickets,
    o.ticket_count, o.currency, o.total_cents, o.refunded_cents
  FROM orders o`;

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const encoder = new TextEncoder();

async function sqlPages(env: Env, eventId: string, snapshot: number, chunk: number, objects: boolean): Promise<number> {
  let rows = 0;
  let cursor: [number, string] | null = null;
  for (;;) {
    const keyset: string = cursor ? ' AND (o.placed_at, o.id) < (?, ?)' : '';
    const stmt = env.DB.prepare(
      `${SELECT} WHERE o.event_id = ? AND o.created_at <= ?${keyset} ORDER BY o.placed_at DESC, o.id DESC LIMIT ?`,
    ).bind(eventId, snapshot, ...(cursor ?? []), chunk);
    let last: [number, string] | null = null;
    let n = 0;
    if (objects) {
      const { results } = await stmt.all<{ placed_at: number; id: string }>();
      n = results.length;
      const r = results[n - 1];
      if (r) last = [r.placed_at, r.id];
    } else {
      const results = await stmt.raw<[number, string]>();
      n = results.length;
      const r = results[n - 1];
      if (r) last = [r[0], r[1]];
    }
    rows += n;
    if (n < chunk || !last) return rows;
    cursor = last;
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const mode = url.searchParams.get('mode') ?? 'read';
    const eventId = url.searchParams.get('event') ?? '';
    const chunk = Number(url.searchParams.get('chunk') ?? 2000);
    const event = await findEvent(env.DB, eventId);
    if (!event) return Response.json({ error: 'no such event' }, { status: 404 });
    const params = orders.params.parse({ format: 'csv' }) as OrderParams;
    const snapshot = Date.now();
    const ctx: ReportContext<OrderParams> = {
      db: env.DB,
      job: { snapshot_at: snapshot },
      event,
      params,
      clock: new ZonedClock(event.time_zone),
    };

    await tick();
    const started = Date.now();
    let rows = 0;
    let bytes = 0;
    let extra: Record<string, unknown> = {};

    if (mode === 'sql' || mode === 'sqlall') {
      rows = await sqlPages(env, eventId, snapshot, chunk, mode === 'sqlall');
    } else if (mode === 'overlap' || mode === 'yield' || mode === 'direct') {
      // Runner variants on top of `upload`: the next page's query issued before this page is encoded
      // and uploaded (overlap); a macrotask turn after every page (yield); rows encoded one by one
      // with encodeInto, no chunk string (direct).
      const key = `bench-profile/${newId(snapshot)}.csv`;
      const writer = await MultipartWriter.start(env.REPORTS_BUCKET, key, { contentType: 'text/csv' });
      let next: ReturnType<typeof orders.readChunk> | null = orders.readChunk(ctx, null, chunk);
      const scratch = new Uint8Array(4 * 1024 * 1024);
      while (next) {
        const page = await next;
        next = null;
        if (mode === 'overlap' && page.cursor !== null) next = orders.readChunk(ctx, page.cursor, chunk);
        rows += page.rows.length;
        if (mode === 'direct') {
          let filled = 0;
          for (const row of page.rows) {
            const line = csvRow(row);
            if (filled + line.length * 3 > scratch.length) {
              await writer.write(scratch.subarray(0, filled));
              filled = 0;
            }
            filled += encoder.encodeInto(line, scratch.subarray(filled)).written;
          }
          await writer.write(scratch.subarray(0, filled));
          bytes += filled;
        } else {
          let text = '';
          for (const row of page.rows) text += csvRow(row);
          const encoded = encoder.encode(text);
          bytes += encoded.length;
          await writer.write(encoded);
        }
        if (mode === 'yield') await tick();
        if (mode !== 'overlap' && page.cursor !== null) next = orders.readChunk(ctx, page.cursor, chunk);
      }
      await writer.finish();
      await env.REPORTS_BUCKET.delete(key);
    } else if (mode === 'read' || mode === 'encode' || mode === 'upload') {
      const key = `bench-profile/${newId(snapshot)}.csv`;
      const writer = mode === 'upload' ? await MultipartWriter.start(env.REPORTS_BUCKET, key, { contentType: 'text/csv' }) : null;
      let cursor: string | null = null;
      do {
        const page = await orders.readChunk(ctx, cursor, chunk);
        rows += page.rows.length;
        cursor = page.cursor;
        if (mode === 'read') continue;
        let text = '';
        for (const row of page.rows) text += csvRow(row);
        const encoded = encoder.encode(text);
        bytes += encoded.length;
        if (writer) await writer.write(encoded);
      } while (cursor !== null);
      if (writer) {
        await writer.finish();
        await env.REPORTS_BUCKET.delete(key);
      }
    } else if (mode === 'job') {
      const now = Date.now();
      const job = await insertJob(env.DB, {
        id: newId(now),
        workspace_id: event.workspace_id,
        event_id: event.id,
        type: 'orders',
        format: 'csv',
        params: JSON.stringify(params),
        requested_by: 'usacmeadmin',
        notify_emails: '[]',
        snapshot_at: now,
        retry_of: null,
        rerun_of: null,
        created_at: now,
      });
      if (!job) throw new Error('job insert failed');
      const outcome = await runReportJob(env, job.id, { chunkRows: chunk });
      const done = await env.DB.prepare(
        'SELECT rows_done, bytes_written, started_at, finished_at FROM event_report_jobs WHERE id = ?',
      )
        .bind(job.id)
        .first<{ rows_done: number; bytes_written: number; started_at: number; finished_at: number }>();
      rows = done?.rows_done ?? 0;
      bytes = done?.bytes_written ?? 0;
      extra = { outcome, job_id: job.id, claim_to_completed_ms: (done?.finished_at ?? 0) - (done?.started_at ?? 0) };
    } else if (mode === 'cpu') {
      const sample = Number(url.searchParams.get('rows') ?? 10_000);
      const repeat = Number(url.searchParams.get('repeat') ?? 50);
      const raw = await env.DB.prepare(
        `${SELECT} WHERE o.event_id = ? AND o.created_at <= ? ORDER BY o.placed_at DESC, o.id DESC LIMIT ?`,
      )
        .bind(eventId, snapshot, sample)
        .raw<[number, string, string, string, string, string, string | null, number, string, number, number]>();
      // The readChunk mapping, copied so it can run without a query (reports/orders.ts `cells`).
      const stage = url.searchParams.get('stage') ?? 'all';
      await tick();
      const t0 = Date.now();
      for (let k = 0; k < repeat; k++) {
        const mapped =
          stage === 'csv'
            ? raw.map((r) => [r[2], String(r[0]), r[3], r[4], r[5], r[6] ?? '', r[7], r[8], r[9] / 100, r[10] / 100])
            : raw.map((r) => [r[2], ctx.clock.format(r[0]), r[3], r[4], r[5], r[6] ?? '', r[7], r[8], r[9] / 100, r[10] / 100]);
        if (stage === 'map') {
          rows += mapped.length;
          continue;
        }
        let text = '';
        for (const row of mapped) text += csvRow(row);
        bytes += encoder.encode(text).length;
        rows += mapped.length;
      }
      await tick();
      extra = { cpu_ms: Date.now() - t0, stage };
    } else {
      return Response.json({ error: `unknown mode ${mode}` }, { status: 400 });
    }

    await tick();
    return Response.json({ mode, chunk, rows, bytes, ms: Date.now() - started, ...extra });
  },
} satisfies ExportedHandler<Env>;
