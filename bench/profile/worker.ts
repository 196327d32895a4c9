/// <reference types="@cloudflare/workers-types/2023-07-01" />
// Where the runner's time goes, measured inside workerd against the same local D1 and R2 the app
// uses. workerd's clock only moves on I/O, so a synchronous stage cannot be timed on its own:
// stages are measured as whole runs, and their costs read as differences between modes (the CPU
// seconds of the workerd processes, read by bench/profile.ts from /proc, are the steadier figure).
//
// The pipeline, one stage added per mode (the orders report of reports/orders.ts, 10,000-row pages):
//   query    the report's SELECT, every page, summed inside SQLite: nothing leaves D1
//   values   the same pages handed over value by value (`.raw()` rows: how every report read before)
//   columns  the same pages as one JSON array per column (db/columns.ts: how the orders report reads)
//   sqlcsv   the same pages with every CSV line built by SQLite (output/csv-sql.ts), one string per page
//   read     orders.readChunk: columns + cells (time zone formatting, money) + cursor
//   csv      orders.readCsvChunk + TextEncoder: the CSV bytes the runner uploads
//   upload   + the MultipartWriter into R2 in 5 MiB parts (the object is deleted after)
//   job      the whole runner (runReportJob) on a fresh job: + claim, estimate, heartbeats, checkpoints
// Alone:
//   r2       R2 only: 53 MB of constant bytes through the MultipartWriter (what local R2 costs)
//   parallel `query` and `r2` started together: do D1 and R2 share one thread locally?
//   transfer D1's cost per byte: 50 statements each returning one string of `chunk` characters
//   count    the export's row estimate (orders.estimateRows)
//   clock    no I/O: `rows` × `repeat` instants formatted by ZonedClock.format, or (old=1) the way it
//            formatted before (an Intl-derived offset and a Date per cell)
// `edited=1` (query, values, columns, read, csv, job): one order of the event is edited first (and
// put back after), so the report cannot skip the "changed since?" probe of db/versions.ts.

import { selectColumnArrays } from '../../src/worker/db/columns';
import { findEvent } from '../../src/worker/db/events';
import { insertJob } from '../../src/worker/db/jobs';
import type { Env } from '../../src/worker/env';
import { newId } from '../../src/worker/ids';
import { runReportJob } from '../../src/worker/jobs/runner';
import { MultipartWriter } from '../../src/worker/output/multipart';
import { ORDER_ROW_COLUMNS, type OrderParams, orders, selectOrders, whereOrders } from '../../src/worker/reports/orders';
import type { CsvChunk, ReportContext } from '../../src/worker/reports/types';
import { ZonedClock } from '../../src/worker/time';
import { offsetPeriods, sqlCsvLine, sqlDatetimeCell, sqlMoneyCell, sqlPlainCell, sqlTextCell } from './csv-sql';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));
const encoder = new TextEncoder();
const ORDER_BY = 'ORDER BY o.placed_at DESC, o.id DESC';

/** The report's keyset pages of `select`-ed orders, each through `fetchPage`; returns rows and bytes. */
async function pages(
  ctx: ReportContext<OrderParams>,
  chunk: number,
  fetchPage: (sql: string, values: unknown[]) => Promise<{ rows: number; bytes: number; last: [number, string] | null }>,
): Promise<{ rows: number; bytes: number }> {
  let rows = 0;
  let bytes = 0;
  let cursor: [number, string] | null = null;
  for (;;) {
    const w = whereOrders(ctx);
    if (cursor) w.add('(o.placed_at, o.id) < (?, ?)', ...cursor);
    const select = selectOrders(ctx, w);
    const page = await fetchPage(`${select.sql} ${ORDER_BY} LIMIT ?`, [...select.values, chunk]);
    rows += page.rows;
    bytes += page.bytes;
    if (page.rows < chunk || !page.last) return { rows, bytes };
    cursor = page.last;
  }
}

/**
 * A page evaluated entirely inside SQLite (every column, the tickets text included) with only its
 * size and keyset position handed back: the floor no reader can go below.
 */
function queryOnly(env: Env) {
  return async (sql: string, values: unknown[]) => {
    const [r] = await env.DB.prepare(
      `WITH p AS MATERIALIZED (${sql})
       SELECT count(*), sum(length(p.tickets)), (SELECT json_array(placed_at, id) FROM p ORDER BY placed_at, id LIMIT 1) FROM p`,
    )
      .bind(...values)
      .raw<[number, number | null, string | null]>();
    return {
      rows: r?.[0] ?? 0,
      bytes: r?.[1] ?? 0,
      last: r?.[2] ? (JSON.parse(r[2]) as [number, string]) : null,
    };
  };
}

/** A CSV line built by SQLite from the page's columns `p` (the rejected lever, kept measurable). */
function sqlLine(clock: ZonedClock, first: number, last: number): string {
  return sqlCsvLine([
    sqlTextCell('p.order_number'),
    sqlDatetimeCell('p.placed_at', offsetPeriods(clock, first, last)),
    sqlTextCell('p.buyer_name'),
    sqlTextCell('p.buyer_email'),
    sqlPlainCell('p.status'),
    sqlTextCell('p.tickets'),
    sqlPlainCell('p.quantity'),
    sqlTextCell('p.currency'),
    sqlMoneyCell('p.total_cents'),
    sqlMoneyCell('p.refunded_cents'),
  ]);
}

/** ZonedClock.format as it was before (an offset per quarter hour from a Map, a Date per cell). */
function formatBefore(clock: ZonedClock, ts: number): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = clock.offsetAt(ts);
  const d = new Date(ts + offset);
  const abs = Math.abs(offset) / 60_000;
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
    `${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const mode = url.searchParams.get('mode') ?? 'read';
    const eventId = url.searchParams.get('event') ?? '';
    const chunk = Number(url.searchParams.get('chunk') ?? 10_000);
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
    // An edit after the snapshot: its version row makes every statement take the per-row probe.
    const edited = url.searchParams.get('edited') === '1';
    const victim = edited
      ? await env.DB.prepare('SELECT id FROM orders WHERE event_id = ? LIMIT 1').bind(eventId).first<{ id: string }>()
      : null;
    if (victim) {
      await tick();
      await env.DB.prepare('UPDATE orders SET updated_at = updated_at + 1 WHERE id = ?').bind(victim.id).run();
    }

    await tick();
    const started = Date.now();
    let rows = 0;
    let bytes = 0;
    let extra: Record<string, unknown> = {};

    try {
      if (mode === 'query') {
        ({ rows, bytes } = await pages(ctx, chunk, queryOnly(env)));
      } else if (mode === 'values') {
        ({ rows, bytes } = await pages(ctx, chunk, async (sql, values) => {
          const r = await env.DB.prepare(sql)
            .bind(...values)
            .raw<[number, string]>();
          const last = r[r.length - 1];
          return { rows: r.length, bytes: 0, last: last ? [last[0], last[1]] : null };
        }));
      } else if (mode === 'columns') {
        ({ rows, bytes } = await pages(ctx, chunk, async (sql, values) => {
          const c = (await selectColumnArrays(env.DB, { sql, values }, ORDER_ROW_COLUMNS)) as [number[], string[]];
          const n = c[0].length;
          return { rows: n, bytes: 0, last: n > 0 ? [c[0][n - 1] as number, c[1][n - 1] as string] : null };
        }));
      } else if (mode === 'sqlcsv') {
        const range = await env.DB.prepare('SELECT min(placed_at) AS a, max(placed_at) AS b FROM orders WHERE event_id = ?')
          .bind(eventId)
          .first<{ a: number; b: number }>();
        const line = sqlLine(ctx.clock, range?.a ?? 0, range?.b ?? 0);
        ({ rows, bytes } = await pages(ctx, chunk, async (sql, values) => {
          const [r] = await env.DB.prepare(
            `WITH p AS MATERIALIZED (${sql})
             SELECT group_concat(${line}, ''), count(*), (SELECT json_array(placed_at, id) FROM p ORDER BY placed_at, id LIMIT 1) FROM p`,
          )
            .bind(...values)
            .raw<[string | null, number, string | null]>();
          return {
            rows: r?.[1] ?? 0,
            bytes: encoder.encode(r?.[0] ?? '').length,
            last: r?.[2] ? (JSON.parse(r[2]) as [number, string]) : null,
          };
        }));
      } else if (mode === 'read' || mode === 'csv' || mode === 'upload') {
        const key = `bench-profile/${newId(snapshot)}.csv`;
        const writer =
          mode === 'upload' ? await MultipartWriter.start(env.REPORTS_BUCKET, key, { contentType: 'text/csv' }) : null;
        let cursor: string | null = null;
        do {
          if (mode === 'read') {
            const page = await orders.readChunk(ctx, cursor, chunk);
            rows += page.rows.length;
            cursor = page.cursor;
            continue;
          }
          const page: CsvChunk = await (orders.readCsvChunk?.(ctx, cursor, chunk) ??
            Promise.reject(new Error('no readCsvChunk')));
          const encoded = encoder.encode(page.text);
          rows += page.rows;
          bytes += encoded.length;
          cursor = page.cursor;
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
      } else if (mode === 'r2' || mode === 'parallel') {
        const upload = (async () => {
          const key = `bench-profile/${newId(snapshot)}.csv`;
          const writer = await MultipartWriter.start(env.REPORTS_BUCKET, key, { contentType: 'text/csv' });
          const page = new Uint8Array(1_066_000).fill(120);
          for (let k = 0; k < 50; k++) {
            await writer.write(page);
            bytes += page.length;
          }
          await writer.finish();
          await env.REPORTS_BUCKET.delete(key);
        })();
        const query = mode === 'parallel' ? pages(ctx, chunk, queryOnly(env)) : Promise.resolve({ rows: 0, bytes: 0 });
        const [q] = await Promise.all([query, upload]);
        rows = q.rows;
      } else if (mode === 'transfer') {
        for (let k = 0; k < 50; k++) {
          const [r] = await env.DB.prepare(`SELECT printf('%.*c', ?, 'x')`).bind(chunk).raw<[string]>();
          bytes += r?.[0]?.length ?? 0;
          rows++;
        }
      } else if (mode === 'count') {
        rows = await orders.estimateRows(ctx);
      } else if (mode === 'clock') {
        const n = Number(url.searchParams.get('rows') ?? 10_000);
        const repeat = Number(url.searchParams.get('repeat') ?? 50);
        const old = url.searchParams.get('old') === '1';
        const first = snapshot - n * 30_000;
        for (let k = 0; k < repeat; k++) {
          const clock = new ZonedClock(event.time_zone);
          let text = '';
          for (let i = 0; i < n; i++) {
            const ts = first + i * 30_000;
            text += old ? formatBefore(clock, ts) : clock.format(ts);
          }
          bytes += text.length;
          rows += n;
        }
        // Pure CPU: an I/O point after it, so the ms below include it.
        await env.DB.prepare('SELECT 1').run();
      } else {
        return Response.json({ error: `unknown mode ${mode}` }, { status: 400 });
      }
      await tick();
      return Response.json({ mode, chunk, edited, rows, bytes, ms: Date.now() - started, ...extra });
    } finally {
      if (victim) {
        await env.DB.prepare('UPDATE orders SET updated_at = updated_at - 1 WHERE id = ?').bind(victim.id).run();
        await env.DB.prepare('DELETE FROM orders_versions WHERE id = ?').bind(victim.id).run();
      }
    }
  },
} satisfies ExportedHandler<Env>;
