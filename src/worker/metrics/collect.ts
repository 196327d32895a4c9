// Reads the facts behind every metric from D1 in one batch; families.ts turns them into metrics.

import { METRIC_EVENTS } from '../db/metrics';
import { readOpsSettings } from '../db/ops';
import { type Env, settings } from '../env';
import { stuckSql } from '../jobs/state';
import { reportTypesFor } from '../reports/catalog';
import type { MetricFamily } from './exposition';
import {
  type ArtifactTotals,
  type DurationRow,
  type JobGroupRow,
  type LiveRow,
  type MetricFacts,
  metricFamilies,
  type OutboxRow,
  type RetryRow,
} from './families';
import { DURATION_BUCKETS_SECONDS } from './names';

/** `SUM(CASE WHEN d <= bound THEN 1 …)` per bucket: cumulative by construction. Bounds are constants. */
function bucketColumns(duration: string): string {
  return DURATION_BUCKETS_SECONDS.map((s, i) => `SUM(CASE WHEN ${duration} <= ${s * 1000} THEN 1 ELSE 0 END) AS b${i}`).join(
    ', ',
  );
}

const QUEUE_WAIT = 'MAX(started_at - created_at, 0)';
const RUN_TIME = 'MAX(finished_at - started_at, 0)';

/** Every known event name, counted or not yet, then any other name the table holds. */
function zeroFilled(counted: { name: string; n: number }[]): { name: string; n: number }[] {
  const byName = new Map(counted.map((r) => [r.name, Number(r.n)]));
  const names = [...new Set([...METRIC_EVENTS, ...byName.keys()])];
  return names.map((name) => ({ name, n: byName.get(name) ?? 0 }));
}

export async function readMetricFacts(env: Env, now: number): Promise<MetricFacts> {
  const db = env.DB;
  const stuck = stuckSql('j', now, settings(env).stuckNoteMs);
  const [groups, live, retries, waits, runs, events, outbox, artifacts] = await db.batch([
    db.prepare(
      `SELECT type, status, failure_code, COUNT(*) AS n, SUM(rows_done) AS rows, SUM(bytes_written) AS bytes,
              SUM(CASE WHEN stuck_flagged_at IS NOT NULL THEN 1 ELSE 0 END) AS stuck_flagged
         FROM event_report_jobs GROUP BY type, status, failure_code`,
    ),
    db
      .prepare(
        `SELECT type,
                SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS queued,
                SUM(CASE WHEN status = 'running' THEN 1 ELSE 0 END) AS running,
                MIN(CASE WHEN status = 'queued' THEN created_at END) AS oldest_queued_at,
                SUM(CASE WHEN status = 'queued' AND ${stuck.sql} THEN 1 ELSE 0 END) AS stuck_queued,
                SUM(CASE WHEN status = 'running' AND ${stuck.sql} THEN 1 ELSE 0 END) AS stalled_running
           FROM event_report_jobs j WHERE status IN ('queued', 'running') GROUP BY type`,
      )
      .bind(...stuck.values, ...stuck.values),
    // An automatic retry is the one the stuck detector makes: its original failed stuck in the
    // queue and was not itself a retry (lifecycle.ts retries a request at most once).
    db.prepare(
      `SELECT j.type,
              SUM(CASE WHEN j.retry_of IS NOT NULL AND NOT (o.failure_code = 'stuck_in_queue' AND o.retry_of IS NULL) THEN 1 ELSE 0 END) AS manual,
              SUM(CASE WHEN j.retry_of IS NOT NULL AND o.failure_code = 'stuck_in_queue' AND o.retry_of IS NULL THEN 1 ELSE 0 END) AS automatic,
              SUM(CASE WHEN j.rerun_of IS NOT NULL THEN 1 ELSE 0 END) AS reruns
         FROM event_report_jobs j LEFT JOIN event_report_jobs o ON o.id = j.retry_of
        WHERE j.retry_of IS NOT NULL OR j.rerun_of IS NOT NULL
        GROUP BY j.type`,
    ),
    db.prepare(
      `SELECT type, COUNT(*) AS n, SUM(${QUEUE_WAIT}) AS sum_ms, ${bucketColumns(QUEUE_WAIT)}
         FROM event_report_jobs WHERE started_at IS NOT NULL GROUP BY type`,
    ),
    db.prepare(
      `SELECT type, COUNT(*) AS n, SUM(${RUN_TIME}) AS sum_ms, ${bucketColumns(RUN_TIME)}
         FROM event_report_jobs WHERE started_at IS NOT NULL AND finished_at IS NOT NULL GROUP BY type`,
    ),
    db.prepare('SELECT name, SUM(count) AS n FROM metric_events GROUP BY name'),
    db.prepare(
      `SELECT kind,
              SUM(CASE WHEN sent_at IS NOT NULL THEN 1 ELSE 0 END) AS sent,
              SUM(CASE WHEN status = 'bounced' THEN 1 ELSE 0 END) AS bounced,
              SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
              SUM(CASE WHEN status = 'queued' THEN 1 ELSE 0 END) AS pending,
              MIN(CASE WHEN status = 'queued' THEN created_at END) AS oldest_pending_at
         FROM notification_outbox GROUP BY kind`,
    ),
    db.prepare(
      `SELECT SUM(CASE WHEN swept_at IS NOT NULL THEN 1 ELSE 0 END) AS swept,
              SUM(CASE WHEN swept_at IS NULL THEN 1 ELSE 0 END) AS stored,
              SUM(CASE WHEN swept_at IS NULL THEN size_bytes ELSE 0 END) AS stored_bytes
         FROM event_report_job_artifacts`,
    ),
  ]);
  const ops = await readOpsSettings(db);
  const rows = <T>(result: D1Result | undefined) => (result?.results ?? []) as T[];
  return {
    now,
    types: reportTypesFor('admin').map((t) => t.key),
    groups: rows<JobGroupRow>(groups),
    live: rows<LiveRow>(live),
    retries: rows<RetryRow>(retries),
    waits: rows<DurationRow>(waits),
    runs: rows<DurationRow>(runs),
    events: zeroFilled(rows<{ name: string; n: number }>(events)),
    outbox: rows<OutboxRow>(outbox),
    artifacts: rows<ArtifactTotals>(artifacts)[0] ?? { swept: 0, stored: 0, stored_bytes: 0 },
    ops: { runner_paused: ops.runner_paused, new_requests_disabled: ops.new_requests_disabled, updated_at: ops.updated_at },
  };
}

export async function collectMetrics(env: Env, now: number): Promise<MetricFamily[]> {
  return metricFamilies(await readMetricFacts(env, now));
}
