// SQL of the ingest API: batched upserts and deletes of events and of each source table.
//
// Writes go through the version triggers of migrations 0008–0009, so a report reads every table as
// it was at its snapshot whatever the platform pushes meanwhile: a changed row is an UPDATE (the
// AFTER UPDATE trigger keeps the old version) and a removed one a DELETE (the AFTER DELETE trigger
// does). Never INSERT OR REPLACE: its implicit delete fires no trigger, and the snapshot would break.
// A row pushed again unchanged is not updated at all, so a replay writes no versions.
//
// D1 binds at most 100 values per statement: each statement carries as many rows as fit.

import type { SqlPart, SqlValue } from './sql';

export const MAX_BOUND_PARAMETERS = 100;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Where rows belong: a source table's rows to an event, events to a workspace. */
export interface Scope {
  column: 'event_id' | 'workspace_id';
  value: string;
}

const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

/**
 * `INSERT … ON CONFLICT (id) DO UPDATE … WHERE` per group of rows. The update applies only to a
 * row of the same scope (an id of another event or workspace is never taken over) and only when a
 * column differs. `created_at` is set on insert and kept after; `updated_at`, where the table has
 * one, moves on every real change. RETURNING names the rows inserted or changed.
 */
export function upsertParts(a: {
  table: string;
  scope: Scope;
  /** The columns the rows carry, `id` first. */
  columns: readonly string[];
  rows: readonly Record<string, SqlValue>[];
  hasUpdatedAt: boolean;
  now: number;
}): SqlPart[] {
  const data = a.columns.filter((c) => c !== 'id');
  const columns = ['id', a.scope.column, ...data, 'created_at', ...(a.hasUpdatedAt ? ['updated_at'] : [])];
  const set = [...data, ...(a.hasUpdatedAt ? ['updated_at'] : [])].map((c) => `${c} = excluded.${c}`).join(', ');
  const changed = data.map((c) => `${a.table}.${c} IS NOT excluded.${c}`).join(' OR ');
  const perStatement = Math.floor(MAX_BOUND_PARAMETERS / columns.length);
  return chunks(a.rows, perStatement).map((group) => ({
    sql: `INSERT INTO ${a.table} (${columns.join(', ')}) VALUES ${group.map(() => `(${placeholders(columns.length)})`).join(', ')}
          ON CONFLICT (id) DO UPDATE SET ${set}
          WHERE ${a.table}.${a.scope.column} = excluded.${a.scope.column} AND (${changed})
          RETURNING id`,
    values: group.flatMap((row) => [
      row.id ?? null,
      a.scope.value,
      ...data.map((c) => row[c] ?? null),
      a.now,
      ...(a.hasUpdatedAt ? [a.now] : []),
    ]),
  }));
}

/** `DELETE … WHERE <scope> AND id IN (…) RETURNING id`: ids of other scopes, or unknown ones, are left alone. */
export function deleteParts(table: string, scope: Scope, ids: readonly string[]): SqlPart[] {
  return chunks(ids, MAX_BOUND_PARAMETERS - 1).map((group) => ({
    sql: `DELETE FROM ${table} WHERE ${scope.column} = ? AND id IN (${placeholders(group.length)}) RETURNING id`,
    values: [scope.value, ...group],
  }));
}

/** Ids among `ids` that already belong to another event (or workspace): pushing them would be a conflict. */
export function foreignIdParts(table: string, scope: Scope, ids: readonly string[]): SqlPart[] {
  return chunks(ids, MAX_BOUND_PARAMETERS - 1).map((group) => ({
    sql: `SELECT id FROM ${table} WHERE ${scope.column} <> ? AND id IN (${placeholders(group.length)})`,
    values: [scope.value, ...group],
  }));
}

/** Ids among `ids` that name a row of `table` in this event. */
export function existingIdParts(table: string, eventId: string, ids: readonly string[]): SqlPart[] {
  return chunks(ids, MAX_BOUND_PARAMETERS - 1).map((group) => ({
    sql: `SELECT id FROM ${table} WHERE event_id = ? AND id IN (${placeholders(group.length)})`,
    values: [eventId, ...group],
  }));
}

/** A constraint D1 refused, as a kind the API can explain; null for anything else. */
export function constraintFailure(err: unknown): 'foreign_key' | 'unique' | 'check' | null {
  const message = err instanceof Error ? err.message : String(err);
  if (message.includes('FOREIGN KEY constraint failed')) return 'foreign_key';
  if (message.includes('UNIQUE constraint failed')) return 'unique';
  if (message.includes('CHECK constraint failed')) return 'check';
  return null;
}
