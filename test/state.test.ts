import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { cancelJob } from '../src/worker/db/jobs';
import { assertTransition, canTransition, IllegalTransitionError, JOB_STATUSES } from '../src/worker/jobs/state';

// The story's lifecycle, written out independently of the module under test.
const LEGAL = new Set([
  'queued>running',
  'queued>cancelled',
  'queued>failed',
  // A runner takes over a running job whose lease expired (its runner died or yielded).
  'running>running',
  'running>completed',
  'running>failed',
  'running>cancelled',
  'completed>expired',
]);

describe('the report job state machine', () => {
  for (const from of JOB_STATUSES) {
    for (const to of JOB_STATUSES) {
      const legal = LEGAL.has(`${from}>${to}`);
      it(`${legal ? 'allows' : 'refuses'} ${from} → ${to}`, () => {
        expect(canTransition(from, to)).toBe(legal);
        if (legal) expect(() => assertTransition(from, to)).not.toThrow();
        else expect(() => assertTransition(from, to)).toThrow(IllegalTransitionError);
      });
    }
  }

  it('fails loudly before touching the database on an illegal transition', () => {
    expect(() => cancelJob(env.DB, { id: 'x', from: 'completed' as 'queued', now: 1 })).toThrow(
      'illegal report job transition completed -> cancelled',
    );
  });
});
