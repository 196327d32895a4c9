import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { abortAbandonedUploads, recoverLostRunners } from '../src/worker/jobs/lifecycle';
import { runReportJob } from '../src/worker/jobs/runner';
import { reportTypesFor } from '../src/worker/reports/catalog';
import { seedBigEvent } from './big-event';
import { faultyEnv, injected, killed, SimulatedCrash } from './faults';
import { EVENT_ID, insertQueuedJob, seedFixture } from './helpers';
import { checkInvariants } from './invariants';

// A soak with a fixed seed: many jobs of mixed types and sizes, random cancels, injected storage
// faults and crashes. Afterwards every job is finished and every invariant holds. `npm test` runs a
// reduced soak; `npm run soak` runs 200 jobs.

const JOBS = Number(env.SOAK_JOBS ?? 30);
const SEED = 7;
const BIG_EVENT = 'evsoak';

/** mulberry32: a small deterministic PRNG, so a failing soak can be replayed exactly. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

beforeAll(async () => {
  await seedFixture(400);
  await seedBigEvent({
    id: BIG_EVENT,
    name: 'Soak Summit',
    slug: 'soak-summit',
    timeZone: 'Europe/Paris',
    guests: 60_000,
    idPrefix: 's',
    lastNames: 4000,
    spacingMs: 60_000,
    ticketTypeSql: "'VIP'",
  });
});

describe('soak', () => {
  it(`${JOBS} jobs with random cancels, faults and crashes all end finished, with every invariant intact`, async () => {
    const random = prng(SEED);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const types = reportTypesFor('admin')
      .filter((t) => t.formats.includes('csv'))
      .map((t) => t.key);
    const ids: string[] = [];
    const outcomes: Record<string, number> = {};

    for (let i = 0; i < JOBS; i++) {
      const big = random() < 0.15;
      const type = big ? 'guest-list' : pick(types);
      const job = await insertQueuedJob({
        event_id: big ? BIG_EVENT : EVENT_ID,
        type,
        params: JSON.stringify({ format: 'csv', include_bom: random() < 0.5 }),
        notify_emails: random() < 0.2 ? JSON.stringify(['soak@acme.test']) : '[]',
      });
      ids.push(job.id);
      const dice = random();
      const faultAt = 1 + Math.floor(random() * 40);
      const cancelAt = 1 + Math.floor(random() * 40);
      const rule =
        dice < 0.15
          ? (call: { n: number }) => (call.n === faultAt ? killed() : undefined)
          : dice < 0.3
            ? (call: { n: number; kind: string }) =>
                call.n >= faultAt && call.kind === 'r2' ? injected('R2 unavailable') : undefined
            : dice < 0.4
              ? (call: { n: number }) => (call.n === faultAt ? injected('D1 error') : undefined)
              : dice < 0.5
                ? (call: { n: number }) => {
                    if (call.n === cancelAt) {
                      void env.DB.prepare(
                        "UPDATE event_report_jobs SET cancel_requested_at = ? WHERE id = ? AND status = 'running'",
                      )
                        .bind(Date.now(), job.id)
                        .run();
                    }
                    return undefined;
                  }
                : () => undefined;
      if (random() < 0.05) {
        await env.DB.prepare("UPDATE event_report_jobs SET status = 'cancelled', finished_at = ? WHERE id = ?")
          .bind(Date.now(), job.id)
          .run();
      }
      let outcome: string;
      try {
        outcome = await runReportJob(faultyEnv(rule).env, job.id);
      } catch (err) {
        outcome = err instanceof SimulatedCrash ? 'crashed' : 'threw';
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }

    // The platform's recovery: leases run out, the lifecycle resumes or fails, redeliveries run.
    for (let round = 0; round < 5; round++) {
      await env.DB.prepare("UPDATE event_report_jobs SET lease_expires_at = 0 WHERE status = 'running'").run();
      await recoverLostRunners(env, Date.now());
      const open = await env.DB.prepare("SELECT id FROM event_report_jobs WHERE status IN ('queued', 'running')").all<{
        id: string;
      }>();
      for (const { id } of open.results) await runReportJob(env, id);
    }
    await abortAbandonedUploads(env);

    expect(await checkInvariants({ settled: true, jobIds: ids })).toEqual([]);
    const finals = await env.DB.prepare(
      'SELECT status, COUNT(*) AS n FROM event_report_jobs WHERE id IN (SELECT value FROM json_each(?)) GROUP BY status',
    )
      .bind(JSON.stringify(ids))
      .all<{ status: string; n: number }>();
    const total = finals.results.reduce((sum, r) => sum + r.n, 0);
    expect(total).toBe(JOBS);
    expect(finals.results.find((r) => r.status === 'completed')?.n ?? 0).toBeGreaterThan(JOBS / 3);
    console.log(JSON.stringify({ soak: JOBS, first_run: outcomes, final: finals.results }));
  });
});
