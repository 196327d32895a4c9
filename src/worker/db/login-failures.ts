// Sign-in attempts per throttle key in fixed windows (table login_failures). An attempt is
// reserved on every key before the password is checked, in one transaction, so parallel guesses
// cannot all slip in between a count and its increment; a correct password hands its reservation
// back.

const MINUTE = 60_000;

/** One counter an attempt is reserved on, and how many attempts its window admits. */
export interface ThrottleKey {
  key: string;
  limit: number;
  windowMs: number;
  /** On a correct password: `clear` forgets this key's failures, `release` only returns the reservation. */
  onSuccess: 'clear' | 'release';
}

/**
 * OWASP's authentication cheat sheet: throttle per account and client, so that a stranger's
 * guesses do not lock the owner out; cap each account across all clients at a slower rate, so
 * many addresses cannot guess faster; cap each address across accounts (password spraying). A
 * browser that has signed in to the account before (a device cookie) is throttled on its own.
 */
export const LOGIN_LIMITS = {
  accountFromAddress: { limit: 5, windowMs: 15 * MINUTE },
  account: { limit: 50, windowMs: 60 * MINUTE },
  address: { limit: 50, windowMs: 15 * MINUTE },
  knownDevice: { limit: 5, windowMs: 15 * MINUTE },
} as const;

/** The longest window: rows older than this hold nothing that can still refuse an attempt. */
export const LONGEST_LOGIN_WINDOW_MS = Math.max(...Object.values(LOGIN_LIMITS).map((l) => l.windowMs));

/**
 * The keys of one sign-in attempt. `address` is the client address (CF-Connecting-IP behind
 * Cloudflare), null when unknown; `device` is the id of a valid device cookie for this account.
 */
export function loginThrottleKeys(email: string, address: string | null, device: string | null): ThrottleKey[] {
  const account = email.trim().toLowerCase();
  if (device) return [{ key: `device:${device}`, ...LOGIN_LIMITS.knownDevice, onSuccess: 'clear' }];
  return [
    { key: `account-address:${account}|${address ?? 'unknown'}`, ...LOGIN_LIMITS.accountFromAddress, onSuccess: 'clear' },
    { key: `account:${account}`, ...LOGIN_LIMITS.account, onSuccess: 'release' },
    ...(address ? [{ key: `address:${address}`, ...LOGIN_LIMITS.address, onSuccess: 'release' as const }] : []),
  ];
}

/**
 * Counts this attempt on every key (a window that has ended starts again at 1) and says whether
 * each is still within its limit. One batch: one transaction.
 */
export async function reserveLoginAttempt(
  db: D1Database,
  keys: readonly ThrottleKey[],
  now: number,
): Promise<{ admitted: boolean; retryAt: number }> {
  const results = await db.batch<{ failures: number; window_start: number }>(
    keys.map((k) =>
      db
        .prepare(
          `INSERT INTO login_failures (key, window_start, failures) VALUES (?, ?, 1)
           ON CONFLICT (key) DO UPDATE SET
             failures = CASE WHEN window_start > ? THEN failures + 1 ELSE 1 END,
             window_start = CASE WHEN window_start > ? THEN window_start ELSE excluded.window_start END
           RETURNING failures, window_start`,
        )
        .bind(k.key, now, now - k.windowMs, now - k.windowMs),
    ),
  );
  let admitted = true;
  let retryAt = now;
  keys.forEach((k, i) => {
    const row = results[i]?.results[0];
    if (row && row.failures > k.limit) {
      admitted = false;
      retryAt = Math.max(retryAt, row.window_start + k.windowMs);
    }
  });
  return { admitted, retryAt };
}

/** The password was right: this client's failures are forgotten, and the attempt is not counted elsewhere. */
export async function releaseLoginAttempt(db: D1Database, keys: readonly ThrottleKey[]): Promise<void> {
  await db.batch(
    keys.map((k) =>
      k.onSuccess === 'clear'
        ? db.prepare('DELETE FROM login_failures WHERE key = ?').bind(k.key)
        : db.prepare('UPDATE login_failures SET failures = MAX(failures - 1, 0) WHERE key = ?').bind(k.key),
    ),
  );
}

/** Windows that have ended (any client can add rows, so they must not pile up). */
export async function pruneLoginFailures(db: D1Database, now: number): Promise<number> {
  const result = await db
    .prepare('DELETE FROM login_failures WHERE window_start <= ?')
    .bind(now - LONGEST_LOGIN_WINDOW_MS)
    .run();
  return result.meta.changes;
}
