// A WHERE clause built from bound conditions, for the SQL of db/ and reports/ alike.

/** SQL and the values it binds, to be placed inside another statement. */
export interface SqlFragment {
  sql: string;
  values: unknown[];
}

/** Conditions joined with AND; values are bound in the order the conditions were added. */
export class Where {
  private readonly parts: string[] = [];
  readonly values: unknown[] = [];

  add(condition: string, ...values: unknown[]): this {
    this.parts.push(condition);
    this.values.push(...values);
    return this;
  }

  get sql(): string {
    return this.parts.length > 0 ? this.parts.join(' AND ') : '1 = 1';
  }
}
