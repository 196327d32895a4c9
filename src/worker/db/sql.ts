// The SQL helpers db/ and reports/ share: reading rows and counts, LIKE patterns, and one SQL text
// for two callers: the Worker binds its values to a prepared statement, and the operator command
// (scripts/admin.ts), which reaches D1 through `wrangler d1 execute` where no values can be bound,
// writes them into the text as SQL literals.

/** SQL and the values of its `?`s, in order. */
export interface SqlPart {
  sql: string;
  values: SqlValue[];
}

export type SqlValue = string | number | null;

export function prepare(db: D1Database, part: SqlPart): D1PreparedStatement {
  return db.prepare(part.sql).bind(...part.values);
}

/** The rows a statement returns. */
export async function allRows<Row>(db: D1Database, sql: string, ...values: unknown[]): Promise<Row[]> {
  const { results } = await db
    .prepare(sql)
    .bind(...values)
    .all<Row>();
  return results;
}

/** The `n` of a one-row count query (`SELECT COUNT(…) AS n …`), 0 when it returns no row. */
export async function countRows(db: D1Database, sql: string, ...values: unknown[]): Promise<number> {
  const row = await db
    .prepare(sql)
    .bind(...values)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A LIKE pattern for "contains `text`", its wildcards escaped (use with ESCAPE '\\'): "50%_off" finds exactly that. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** A value as an SQL literal: strings quoted (quotes doubled), integers as they are, null as NULL. */
export function sqlLiteral(value: SqlValue): string {
  if (value === null) return 'NULL';
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
    return String(value);
  }
  if (value.includes('\0')) throw new Error('a NUL character cannot be written as an SQL literal');
  return `'${value.replaceAll("'", "''")}'`;
}

/** The statement with its values written in. The texts given here have no `?` inside a literal. */
export function inlineSql(part: SqlPart): string {
  let i = 0;
  const sql = part.sql.replace(/\?/g, () => {
    if (i >= part.values.length) throw new Error('more placeholders than values');
    return sqlLiteral(part.values[i++] as SqlValue);
  });
  if (i !== part.values.length) throw new Error('more values than placeholders');
  return sql;
}
