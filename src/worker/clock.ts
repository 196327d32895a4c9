import type { Env } from './env';

/**
 * Development only: the clock offset as last read or set by this isolate. Locally one isolate
 * serves every request, the cron tick and the queue, and the offset only changes through
 * setDevClockOffset below, so reading the table once spares every request a D1 round trip.
 */
let devOffsetMs: number | null = null;

/**
 * The server's time. In development (APP_ENV=development, .dev.vars) it can be moved ahead through
 * POST /v1/dev/clock, so the browser suite can see a job "stuck" for 6 minutes or an artifact 31
 * days old without sleeping. Production reads the real clock and never touches the table. A request
 * reads it once (`c.get('now')`, set in app.ts), so everything it judges is judged at one instant.
 */
export async function serverNow(env: Env): Promise<number> {
  return (await serverClock(env))();
}

/**
 * The same clock as a function, for work that spans many instants and has no request: a runner
 * invocation stamps its claim, lease, progress and file with it, so a job run while the development
 * clock is moved is dated as the pages that show it judge it (its file not "expired" at birth).
 */
export async function serverClock(env: Env): Promise<() => number> {
  if (env.APP_ENV !== 'development') return Date.now;
  if (devOffsetMs === null) {
    const row = await env.DB.prepare('SELECT offset_ms FROM dev_clock WHERE id = 1').first<{ offset_ms: number }>();
    devOffsetMs = row?.offset_ms ?? 0;
  }
  return () => Date.now() + (devOffsetMs ?? 0);
}

export async function setDevClockOffset(env: Env, offsetMs: number): Promise<void> {
  await env.DB.prepare('UPDATE dev_clock SET offset_ms = ? WHERE id = 1').bind(offsetMs).run();
  devOffsetMs = offsetMs;
}

/** Development only: how long the runner pauses before each chunk (0 in production, always). */
export async function devChunkDelayMs(env: Env): Promise<number> {
  if (env.APP_ENV !== 'development') return 0;
  const row = await env.DB.prepare('SELECT chunk_delay_ms FROM dev_clock WHERE id = 1').first<{ chunk_delay_ms: number }>();
  return row?.chunk_delay_ms ?? 0;
}

export async function setDevChunkDelay(env: Env, ms: number): Promise<void> {
  await env.DB.prepare('UPDATE dev_clock SET chunk_delay_ms = ? WHERE id = 1').bind(ms).run();
}
