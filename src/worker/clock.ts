import type { Env } from './env';

/**
 * The server's time. In development (APP_ENV=development, .dev.vars) it can be moved ahead through
 * POST /v1/dev/clock, so the browser suite can see a job "stuck" for 6 minutes or an artifact 31
 * days old without sleeping. Production reads the real clock and never touches the table.
 */
export async function serverNow(env: Env): Promise<number> {
  if (env.APP_ENV !== 'development') return Date.now();
  const row = await env.DB.prepare('SELECT offset_ms FROM dev_clock WHERE id = 1').first<{ offset_ms: number }>();
  return Date.now() + (row?.offset_ms ?? 0);
}

export async function setDevClockOffset(env: Env, offsetMs: number): Promise<void> {
  await env.DB.prepare('UPDATE dev_clock SET offset_ms = ? WHERE id = 1').bind(offsetMs).run();
}
