export const LOGIN_WINDOW_MS = 15 * 60_000;
export const MAX_LOGIN_FAILURES = 5;
export const MAX_LOGIN_FAILURES_PER_ADDRESS = 50;

/** Failures in the current window for the email key and the address key, and when the windows end. */
export async function loginFailures(
  db: D1Database,
  keys: string[],
  now: number,
): Promise<{ emailFailures: number; ipFailures: number; retryAt: number }> {
  const { results } = await db
    .prepare(
      `SELECT key, failures, window_start FROM login_failures WHERE key IN (${keys.map(() => '?').join(', ')}) AND window_start > ?`,
    )
    .bind(...keys, now - LOGIN_WINDOW_MS)
    .all<{ key: string; failures: number; window_start: number }>();
  const counts = { emailFailures: 0, ipFailures: 0, retryAt: now };
  for (const r of results) {
    if (r.key.startsWith('email:')) counts.emailFailures = r.failures;
    else counts.ipFailures = r.failures;
    counts.retryAt = Math.max(counts.retryAt, r.window_start + LOGIN_WINDOW_MS);
  }
  return counts;
}

export function recordLoginFailureStatements(db: D1Database, keys: string[], now: number): D1PreparedStatement[] {
  return keys.map((key) =>
    db
      .prepare(
        `INSERT INTO login_failures (key, window_start, failures) VALUES (?, ?, 1)
         ON CONFLICT (key) DO UPDATE SET
           failures = CASE WHEN window_start > ? THEN failures + 1 ELSE 1 END,
           window_start = CASE WHEN window_start > ? THEN window_start ELSE excluded.window_start END`,
      )
      .bind(key, now, now - LOGIN_WINDOW_MS, now - LOGIN_WINDOW_MS),
  );
}

export async function clearLoginFailures(db: D1Database, key: string): Promise<void> {
  await db.prepare('DELETE FROM login_failures WHERE key = ?').bind(key).run();
}
