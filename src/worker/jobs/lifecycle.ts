// Cron work, every minute. Each step is independent: one failing does not stop the others.

import { deleteExpiredSessions } from '../db/sessions';
import type { Env } from '../env';
import { errorFields, log } from '../log';

export async function runLifecycle(env: Env, now: number): Promise<void> {
  const steps: [string, () => Promise<unknown>][] = [['expired_sessions', () => deleteExpiredSessions(env.DB, now)]];
  for (const [name, step] of steps) {
    try {
      const result = await step();
      log('info', 'lifecycle.step', { step: name, result });
    } catch (err) {
      log('error', 'lifecycle.step_failed', { step: name, ...errorFields(err) });
    }
  }
}
