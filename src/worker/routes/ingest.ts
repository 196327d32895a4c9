import type { Context } from 'hono';
import { requireTokenEventAccess, requireTokenPermission } from '../auth/api-token';
import { constraintFailure, deleteParts, existingIdParts, foreignIdParts, type Scope, upsertParts } from '../db/ingest';
import { prepare, type SqlPart, type SqlValue } from '../db/sql';
import { ApiError, badRequest } from '../errors';
import type { AppEnv } from '../hono';
import {
  deleteBody,
  eventsDeleteBody,
  eventsUpsertBody,
  INGEST_TABLE_NAMES,
  INGEST_TABLES,
  type IngestTableName,
  MAX_BATCH_ROWS,
  upsertBodies,
} from '../ingest/tables';
import { log } from '../log';
import { ROW_EXAMPLES } from '../openapi/examples';
import { defineRoute, json, jsonRequest, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { jsonBody } from '../validate';

// The events platform's data comes in here, through a workspace API token with the `events:write`
// permission (admin role): events of the token's workspace, then each source table of an event.
// A request's writes are one D1 batch (one transaction), so it is written whole or not at all; its
// checks (ids of other events, the rows it names) are one read batch before. See db/ingest.ts for
// how the writes keep report snapshots exact.

type Row = Record<string, SqlValue>;

const EVENT_COLUMNS = ['id', 'name', 'slug', 'time_zone', 'starts_at', 'ends_at'] as const;

/** Reads run together in one batch; each part's rows' `id`s, as one set per group of parts. */
async function idsFound(db: D1Database, groups: SqlPart[][]): Promise<Set<string>[]> {
  const flat = groups.flat();
  if (flat.length === 0) return groups.map(() => new Set());
  const results = await db.batch<{ id: string }>(flat.map((p) => prepare(db, p)));
  let i = 0;
  return groups.map((g) => {
    const found = new Set<string>();
    for (const _ of g) for (const r of results[i++]?.results ?? []) found.add(r.id);
    return found;
  });
}

function conflict(table: string, ids: string[]): ApiError {
  const shown = ids.slice(0, 5).map((id) => `"${id}"`);
  return new ApiError(
    409,
    'id_conflict',
    `data: ${shown.join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''} already name ${table} rows of another ${table === 'events' ? 'workspace' : 'event'}.`,
  );
}

/** Writes the batch; a constraint D1 refuses becomes a readable 409, and nothing is written. */
async function writeAll(db: D1Database, parts: SqlPart[], onConstraint: string): Promise<number> {
  try {
    const results = await db.batch(parts.map((p) => prepare(db, p)));
    return results.reduce((n, r) => n + (r.results?.length ?? 0), 0);
  } catch (err) {
    if (constraintFailure(err) === 'foreign_key') throw new ApiError(409, 'still_referenced', onConstraint);
    throw err;
  }
}

async function upsertSourceRows(c: Context<AppEnv>, table: IngestTableName) {
  const spec = INGEST_TABLES[table];
  const body = await jsonBody(c, upsertBodies[table]);
  const rows = body.data as Row[];
  const event = c.get('event');
  const scope: Scope = { column: 'event_id', value: event.id };
  const ids = rows.map((r) => String(r.id));
  const refs = Object.entries(spec.refs) as [string, IngestTableName][];
  const [foreign, ...present] = await idsFound(c.env.DB, [
    foreignIdParts(table, scope, ids),
    ...refs.map(([column, target]) => {
      const named = [...new Set(rows.map((r) => r[column]).filter((v): v is string => typeof v === 'string'))];
      return existingIdParts(target, event.id, named);
    }),
  ]);
  if (foreign && foreign.size > 0) throw conflict(table, [...foreign]);
  refs.forEach(([column, target], k) => {
    const index = rows.findIndex((r) => typeof r[column] === 'string' && !present[k]?.has(r[column]));
    if (index >= 0) {
      throw badRequest(
        `data.${index}.${column}: no ${target} row "${rows[index]?.[column]}" in this event; push it first.`,
        'unknown_reference',
      );
    }
  });
  const written = await writeAll(
    c.env.DB,
    upsertParts({
      table,
      scope,
      columns: Object.keys(spec.row.shape),
      rows,
      hasUpdatedAt: spec.hasUpdatedAt,
      now: c.get('now'),
    }),
    'A referenced row was deleted meanwhile; push it again, then this batch.',
  );
  log('info', 'ingest.upserted', { workspace_id: event.workspace_id, event_id: event.id, table, received: rows.length, written });
  return c.json({ table, received: rows.length, written, unchanged: rows.length - written });
}

async function deleteSourceRows(c: Context<AppEnv>, table: IngestTableName) {
  const { ids } = await jsonBody(c, deleteBody);
  const event = c.get('event');
  const deleted = await writeAll(
    c.env.DB,
    deleteParts(table, { column: 'event_id', value: event.id }, ids),
    `Other rows of this event name some of these ${table} rows (a check-in its guest, an order item its order …); delete those first.`,
  );
  log('info', 'ingest.deleted', { workspace_id: event.workspace_id, event_id: event.id, table, received: ids.length, deleted });
  return c.json({ table, received: ids.length, deleted });
}

// Middleware per route, not `.use()`: mounted at '/', a `.use()` would run for every path below.
const mayWrite = requireTokenPermission('events:write');

const T = 1_767_225_600_000;

const events = new Routes()
  .handle(
    defineRoute({
      method: 'put',
      path: '/',
      tags: ['Ingest'],
      summary: 'Upsert events',
      description: `Events of the token's workspace, by id (lowercase letters and digits: it appears in URLs), up to ${MAX_BATCH_ROWS} per request. An id another workspace uses is refused (409). Push an event before its rows. Needs an admin token.`,
      auth: 'token',
      middleware: [mayWrite],
      request: {
        body: jsonRequest(eventsUpsertBody, {
          data: [
            {
              id: 'evacmesummit',
              name: 'Acme Product Summit 2026',
              slug: 'acme-product-summit-2026',
              time_zone: 'America/New_York',
              starts_at: T,
              ends_at: T + 36_000_000,
            },
          ],
        }),
      },
      errors: [400, 409, 413],
      responses: { 200: json(S.upsertResponse, { table: 'events', received: 1, written: 1, unchanged: 0 }) },
    }),
    async (c) => {
      const { data } = await jsonBody(c, eventsUpsertBody);
      const token = c.get('apiToken');
      const scope: Scope = { column: 'workspace_id', value: token.workspace_id };
      const [foreign] = await idsFound(c.env.DB, [
        foreignIdParts(
          'events',
          scope,
          data.map((e) => e.id),
        ),
      ]);
      if (foreign && foreign.size > 0) throw conflict('events', [...foreign]);
      const written = await writeAll(
        c.env.DB,
        upsertParts({ table: 'events', scope, columns: EVENT_COLUMNS, rows: data, hasUpdatedAt: false, now: c.get('now') }),
        'An event could not be written.',
      );
      log('info', 'ingest.upserted', { workspace_id: token.workspace_id, table: 'events', received: data.length, written });
      return c.json({ table: 'events', received: data.length, written, unchanged: data.length - written });
    },
  )
  .handle(
    defineRoute({
      method: 'post',
      path: '/delete',
      tags: ['Ingest'],
      summary: 'Delete events',
      description: 'Only events with no rows left and no report history (409 otherwise).',
      auth: 'token',
      middleware: [mayWrite],
      request: { body: jsonRequest(eventsDeleteBody, { ids: ['evacmesummit'] }) },
      errors: [400, 409, 413],
      responses: { 200: json(S.deleteResponse, { table: 'events', received: 1, deleted: 1 }) },
    }),
    async (c) => {
      const { ids } = await jsonBody(c, eventsDeleteBody);
      const token = c.get('apiToken');
      const deleted = await writeAll(
        c.env.DB,
        deleteParts('events', { column: 'workspace_id', value: token.workspace_id }, ids),
        'An event that still has rows, or has report history, cannot be deleted; delete its rows first. Events with reports stay.',
      );
      log('info', 'ingest.deleted', { workspace_id: token.workspace_id, table: 'events', received: ids.length, deleted });
      return c.json({ table: 'events', received: ids.length, deleted });
    },
  );

/** One sub-app per table, each with its upsert (PUT) and delete (POST …/delete). */
function tableRoutes(table: IngestTableName): Routes {
  const name = table.replace('_', ' ');
  const routes = new Routes();
  routes.use(requireTokenEventAccess('events:write'));
  return routes
    .handle(
      defineRoute({
        method: 'put',
        path: '/',
        tags: ['Ingest'],
        summary: `Upsert ${name}`,
        description: `Inserts new rows and updates changed ones, by the platform's own \`id\`, in one transaction (up to ${MAX_BATCH_ROWS} rows). A row pushed again unchanged writes nothing. Every change keeps the previous version, so reports already asked for still describe the event as it was. Needs an admin token.`,
        auth: 'token',
        request: { body: jsonRequest(upsertBodies[table], { data: [ROW_EXAMPLES[table]] }) },
        errors: [400, 404, 409, 413],
        responses: { 200: json(S.upsertResponse, { table, received: 1, written: 1, unchanged: 0 }) },
      }),
      (c) => upsertSourceRows(c, table),
    )
    .handle(
      defineRoute({
        method: 'post',
        path: '/delete',
        tags: ['Ingest'],
        summary: `Delete ${name}`,
        description:
          'Deletes rows of this event by id (unknown ids are ignored), in one transaction. Rows other rows still name (a guest with check-ins) are refused with 409: delete those first.',
        auth: 'token',
        request: { body: jsonRequest(deleteBody, { ids: [String(ROW_EXAMPLES[table].id)] }) },
        errors: [400, 404, 409, 413],
        responses: { 200: json(S.deleteResponse, { table, received: 1, deleted: 1 }) },
      }),
      (c) => deleteSourceRows(c, table),
    );
}

export const ingestRoutes = new Routes();
ingestRoutes.route('/', events);
for (const table of INGEST_TABLE_NAMES) ingestRoutes.route(`/:eventId/${table}`, tableRoutes(table));
