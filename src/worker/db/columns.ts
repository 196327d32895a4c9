// A page of rows out of D1 as one JSON array per column. D1 hands results over value by value
// (locally: each cell becomes a JavaScript value in the D1 object, is serialised, sent and parsed
// again), which cost the 500k-order export more CPU than sqlite3 needed for its whole CSV. Built by
// SQLite's json_group_array, a 10,000-row page crosses as a handful of strings instead of 110,000
// values (bench/README.md, "levers").

import type { SqlPart } from './versions';

/** A row type's values by column: `[number, string]` rows give `[number[], string[]]`. */
export type ColumnsOf<Row extends unknown[]> = { [K in keyof Row]: Row[K][] };

/**
 * The values of `columns` in the rows of `select` (its ORDER BY and LIMIT included): one array per
 * column, in the order of `columns`, each holding the rows in the subquery's order.
 */
export async function selectColumnArrays(db: D1Database, select: SqlPart, columns: readonly string[]): Promise<unknown[][]> {
  const aggregates = columns.map((c) => `json_group_array(page.${c})`).join(', ');
  const [result] = await db
    .prepare(`SELECT ${aggregates} FROM (${select.sql}) AS page`)
    .bind(...select.values)
    .raw<string[]>();
  return (result ?? columns.map(() => '[]')).map((text) => JSON.parse(text) as unknown[]);
}
