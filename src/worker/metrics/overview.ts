// GET /v1/admin/ops/overview: the metrics endpoint's figures as series over the last 24 hours (by
// hour) or 7 days (by day, UTC), for the /admin/ops dashboard. Read from the same stored facts as
// collect.ts: job timestamps, the outbox, artifacts and the hourly metric_events counters. The queue
// depth of the past is reconstructed from each job's created/started/finished times.

import type { z } from 'zod';
import { isStuck } from '../jobs/state';
import { findReportType } from '../reports/catalog';
import { type jobRef, type Overview, type OverviewPoint, overviewPoint } from './overview-schema';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const OVERVIEW_RANGES = { '24h': { bucketMs: HOUR, buckets: 24 }, '7d': { bucketMs: DAY, buckets: 7 } } as const;
export type OverviewRange = keyof typeof OVERVIEW_RANGES;

type Row = Record<string, number | string | null>;

/** The `jobRef` of a job row joined with its event and workspace. */
function jobRefOf(r: Row): z.infer<typeof jobRef> {
  const type = String(r.type);
  return {
    job_id: String(r.id),
    event_id: String(r.event_id),
    event_name: r.event_name === null ? null : String(r.event_name),
    workspace_name: r.workspace_name === null ? null : String(r.workspace_name),
    type,
    type_name: findReportType(type)?.name ?? type,
  };
}

const num = (v: number | string | null | undefined): number => Number(v ?? 0);
const secondsOf = (ms: number | string | null | undefined): number | null =>
  ms === null || ms === undefined ? null : Math.max(0, Number(ms)) / 1000;

export async function buildOverview(db: D1Database, range: OverviewRange, now: number, stuckNoteMs: number): Promise<Overview> {
  const { bucketMs, buckets } = OVERVIEW_RANGES[range];
  const start = Math.floor(now / bucketMs) * bucketMs - (buckets - 1) * bucketMs;
  const end = start + buckets * bucketMs;
  // D1 binds JS numbers as REAL, so the division is a float one: truncate it to the bucket index.
  const bucketOf = (column: string) => `CAST((${column} - ?1) / ?2 AS INTEGER)`;
  // Binds shared by every series query: ?1 start, ?2 bucket size, ?3 end.
  const series = (sql: string) => db.prepare(sql).bind(start, bucketMs, end);

  const [created, finished, started, depth, downloads, emails, swept, live, failures, who] = await db.batch([
    series(
      `SELECT ${bucketOf('j.created_at')} AS b, COUNT(*) AS created,
              SUM(CASE WHEN j.retry_of IS NOT NULL AND NOT (o.failure_code = 'stuck_in_queue' AND o.retry_of IS NULL) THEN 1 ELSE 0 END) AS manual,
              SUM(CASE WHEN j.retry_of IS NOT NULL AND o.failure_code = 'stuck_in_queue' AND o.retry_of IS NULL THEN 1 ELSE 0 END) AS automatic
         FROM event_report_jobs j LEFT JOIN event_report_jobs o ON o.id = j.retry_of
        WHERE j.created_at >= ?1 AND j.created_at < ?3 GROUP BY b`,
    ),
    series(
      `SELECT ${bucketOf('finished_at')} AS b,
              SUM(CASE WHEN status IN ('completed', 'expired') THEN 1 ELSE 0 END) AS completed,
              SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed,
              SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled,
              SUM(CASE WHEN status = 'failed' AND failure_code = 'stuck_in_queue' THEN 1 ELSE 0 END) AS stuck,
              SUM(CASE WHEN status = 'failed' AND failure_code = 'dataset_too_large' THEN 1 ELSE 0 END) AS size_limit,
              SUM(CASE WHEN status = 'failed' AND failure_code = 'interrupted' THEN 1 ELSE 0 END) AS interrupted,
              SUM(CASE WHEN status IN ('completed', 'expired') THEN rows_done ELSE 0 END) AS rows,
              SUM(CASE WHEN status IN ('completed', 'expired') THEN bytes_written ELSE 0 END) AS bytes,
              AVG(CASE WHEN started_at IS NOT NULL THEN MAX(finished_at - started_at, 0) END) AS run_avg,
              MAX(CASE WHEN started_at IS NOT NULL THEN MAX(finished_at - started_at, 0) END) AS run_max
         FROM event_report_jobs WHERE finished_at >= ?1 AND finished_at < ?3 GROUP BY b`,
    ),
    series(
      `SELECT ${bucketOf('started_at')} AS b, COUNT(*) AS n, AVG(MAX(started_at - created_at, 0)) AS wait_avg,
              MAX(MAX(started_at - created_at, 0)) AS wait_max
         FROM event_report_jobs WHERE started_at >= ?1 AND started_at < ?3 GROUP BY b`,
    ),
    // Queued at instant p: created by then, neither started nor finished yet. Running: started, not finished.
    db
      .prepare(
        `WITH RECURSIVE pts(i, p) AS (
           SELECT 0, MIN(?1 + ?2, ?3) UNION ALL SELECT i + 1, MIN(?1 + (i + 2) * ?2, ?3) FROM pts WHERE i + 1 < ?4
         ), cand AS (
           SELECT created_at, started_at, finished_at FROM event_report_jobs
            WHERE created_at <= ?3 AND (finished_at IS NULL OR finished_at > ?1)
         )
         SELECT i AS b,
                (SELECT COUNT(*) FROM cand WHERE created_at <= p AND COALESCE(started_at, finished_at, p + 1) > p) AS queued,
                (SELECT COUNT(*) FROM cand WHERE started_at <= p AND COALESCE(finished_at, p + 1) > p) AS running
           FROM pts`,
      )
      .bind(start, bucketMs, now, buckets),
    series(
      `SELECT ${bucketOf('hour_start')} AS b, name, SUM(count) AS n FROM metric_events
        WHERE hour_start >= ?1 AND hour_start < ?3 GROUP BY b, name`,
    ),
    series(
      `SELECT 'sent' AS k, ${bucketOf('sent_at')} AS b, COUNT(*) AS n FROM notification_outbox
        WHERE sent_at >= ?1 AND sent_at < ?3 GROUP BY b
       UNION ALL
       SELECT 'bounced', ${bucketOf('bounced_at')}, COUNT(*) FROM notification_outbox
        WHERE status = 'bounced' AND bounced_at >= ?1 AND bounced_at < ?3 GROUP BY 2
       UNION ALL
       SELECT 'failed', ${bucketOf('updated_at')}, COUNT(*) FROM notification_outbox
        WHERE status = 'failed' AND updated_at >= ?1 AND updated_at < ?3 GROUP BY 2`,
    ),
    series(
      `SELECT ${bucketOf('swept_at')} AS b, COUNT(*) AS n FROM event_report_job_artifacts
        WHERE swept_at >= ?1 AND swept_at < ?3 GROUP BY b`,
    ),
    db
      .prepare(
        `SELECT j.id, j.event_id, e.name AS event_name, w.name AS workspace_name, j.type, j.status, j.phase,
                j.created_at, j.started_at, j.updated_at, j.rows_done, j.rows_expected, j.stuck_flagged_at,
                j.cancel_requested_at
           FROM event_report_jobs j
           LEFT JOIN events e ON e.id = j.event_id
           LEFT JOIN workspaces w ON w.id = j.workspace_id
          WHERE j.status IN ('queued', 'running')
          ORDER BY CASE j.status WHEN 'queued' THEN 0 ELSE 1 END, j.created_at, j.id LIMIT 50`,
      )
      .bind(),
    db
      .prepare(
        `SELECT j.id, j.event_id, e.name AS event_name, w.name AS workspace_name, j.type, j.failure_code,
                j.failure_reason, j.finished_at, r.id AS retried_by
           FROM event_report_jobs j
           LEFT JOIN events e ON e.id = j.event_id
           LEFT JOIN workspaces w ON w.id = j.workspace_id
           LEFT JOIN event_report_jobs r ON r.retry_of = j.id
          WHERE j.status = 'failed' AND j.finished_at >= ?
          ORDER BY j.finished_at DESC, j.id DESC LIMIT 20`,
      )
      .bind(start),
    db
      .prepare(
        `SELECT s.runner_paused, s.new_requests_disabled, s.updated_at, u.name AS updated_by_name,
                (SELECT COUNT(*) FROM event_report_jobs WHERE status = 'queued') AS queued,
                (SELECT COUNT(*) FROM event_report_jobs WHERE status = 'running') AS running
           FROM ops_settings s LEFT JOIN users u ON u.id = s.updated_by WHERE s.id = 1`,
      )
      .bind(),
  ]);

  const rows = (result: D1Result | undefined) => (result?.results ?? []) as Row[];
  const byBucket = (result: D1Result | undefined) => new Map(rows(result).map((r) => [num(r.b), r]));
  const createdBy = byBucket(created);
  const finishedBy = byBucket(finished);
  const startedBy = byBucket(started);
  const depthBy = byBucket(depth);
  const sweptBy = byBucket(swept);
  const downloadRows = rows(downloads);
  const emailRows = rows(emails);
  const downloadsIn = (b: number, outcome: string) =>
    downloadRows.filter((r) => num(r.b) === b && r.name === `download_${outcome}`).reduce((s, r) => s + num(r.n), 0);
  const emailsIn = (b: number, kind: string) =>
    emailRows.filter((r) => num(r.b) === b && r.k === kind).reduce((s, r) => s + num(r.n), 0);

  const points: OverviewPoint[] = [];
  for (let b = 0; b < buckets; b++) {
    const c = createdBy.get(b);
    const f = finishedBy.get(b);
    const s = startedBy.get(b);
    const d = depthBy.get(b);
    const allDownloads = downloadRows.filter((r) => num(r.b) === b).reduce((sum, r) => sum + num(r.n), 0);
    const served = downloadsIn(b, 'served');
    const denied = downloadsIn(b, 'permission_denied');
    const badSignature = downloadsIn(b, 'bad_signature');
    const expired = downloadsIn(b, 'link_expired');
    points.push({
      start: start + b * bucketMs,
      jobs_created: num(c?.created),
      jobs_completed: num(f?.completed),
      jobs_failed: num(f?.failed),
      jobs_cancelled: num(f?.cancelled),
      retries_manual: num(c?.manual),
      retries_automatic: num(c?.automatic),
      stuck_queue_failures: num(f?.stuck),
      size_limit_failures: num(f?.size_limit),
      interrupted_failures: num(f?.interrupted),
      rows_exported: num(f?.rows),
      bytes_exported: num(f?.bytes),
      queue_wait_avg_seconds: secondsOf(s?.wait_avg),
      queue_wait_max_seconds: secondsOf(s?.wait_max),
      run_avg_seconds: secondsOf(f?.run_avg),
      run_max_seconds: secondsOf(f?.run_max),
      queue_depth: num(d?.queued),
      running: num(d?.running),
      downloads_served: served,
      download_permission_denied: denied,
      download_bad_signature: badSignature,
      download_link_expired: expired,
      download_other: allDownloads - served - denied - badSignature - expired,
      emails_sent: emailsIn(b, 'sent'),
      emails_bounced: emailsIn(b, 'bounced'),
      emails_failed: emailsIn(b, 'failed'),
      artifacts_swept: num(sweptBy.get(b)?.n),
    });
  }

  const total = (key: keyof OverviewPoint) => points.reduce((s, p) => s + num(p[key]), 0);
  const maxOf = (key: 'queue_wait_max_seconds' | 'run_max_seconds') =>
    points.reduce<number | null>((m, p) => (p[key] === null ? m : Math.max(m ?? 0, p[key] ?? 0)), null);
  // Means over the whole range, weighted by how many jobs each bucket's mean covers.
  const finishedTotal = total('jobs_completed') + total('jobs_failed') + total('jobs_cancelled');
  const weighted = (
    avgKey: 'run_avg_seconds' | 'queue_wait_avg_seconds',
    rowsBy: Map<number, Row>,
    weightOf: (r: Row) => number,
  ) => {
    let sum = 0;
    let n = 0;
    points.forEach((p, b) => {
      const row = rowsBy.get(b);
      const avg = p[avgKey];
      if (row && avg !== null) {
        sum += avg * weightOf(row);
        n += weightOf(row);
      }
    });
    return n === 0 ? null : sum / n;
  };

  const liveRows = rows(live);
  const queueJobs = liveRows.map((r) => {
    const status = r.status === 'running' ? ('running' as const) : ('queued' as const);
    const stuck = isStuck({ status, created_at: num(r.created_at), updated_at: num(r.updated_at) }, now, stuckNoteMs);
    return {
      ...jobRefOf(r),
      status,
      phase: r.phase === null ? null : String(r.phase),
      created_at: num(r.created_at),
      started_at: r.started_at === null ? null : num(r.started_at),
      age_seconds: Math.max(0, (now - num(r.created_at)) / 1000),
      rows_done: num(r.rows_done),
      rows_expected: r.rows_expected === null ? null : num(r.rows_expected),
      stuck,
      cancel_requested: r.cancel_requested_at !== null,
    };
  });
  const settingsRow = rows(who)[0] ?? {};

  const {
    start: _start,
    queue_depth: _depth,
    running: _running,
    ...counts
  } = Object.fromEntries(
    (Object.keys(overviewPoint.shape) as (keyof OverviewPoint)[]).map((k) => [k, total(k)]),
  ) as OverviewPoint;

  return {
    range,
    bucket: range === '24h' ? 'hour' : 'day',
    generated_at: now,
    series: points,
    totals: {
      ...counts,
      queue_wait_avg_seconds: weighted('queue_wait_avg_seconds', startedBy, (r) => num(r.n)),
      queue_wait_max_seconds: maxOf('queue_wait_max_seconds'),
      run_avg_seconds: weighted('run_avg_seconds', finishedBy, (r) => num(r.completed) + num(r.failed) + num(r.cancelled)),
      run_max_seconds: maxOf('run_max_seconds'),
      failure_rate: finishedTotal === 0 ? null : total('jobs_failed') / finishedTotal,
    },
    queue: {
      depth: num(settingsRow.queued),
      running: num(settingsRow.running),
      stuck: queueJobs.filter((j) => j.stuck).length,
      oldest: queueJobs.find((j) => j.status === 'queued') ?? null,
      jobs: queueJobs,
    },
    failures: rows(failures).map((r) => {
      return {
        ...jobRefOf(r),
        failure_code: r.failure_code === null ? null : String(r.failure_code),
        failure_reason: r.failure_reason === null ? null : String(r.failure_reason),
        finished_at: num(r.finished_at),
        retried_by: r.retried_by === null ? null : String(r.retried_by),
      };
    }),
    settings: {
      runner_paused: num(settingsRow.runner_paused) === 1,
      new_requests_disabled: num(settingsRow.new_requests_disabled) === 1,
      updated_at: num(settingsRow.updated_at),
      updated_by_name:
        settingsRow.updated_by_name === null || settingsRow.updated_by_name === undefined
          ? null
          : String(settingsRow.updated_by_name),
    },
  };
}
