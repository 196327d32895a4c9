// The metric families of GET /v1/admin/metrics, from facts read out of D1 (collect.ts). Pure: no
// Workers APIs, so scripts/check-ops.ts can render them from a fixture and run promtool on them.
//
// Every metric is derived from stored facts at scrape time. A Workers isolate keeps nothing
// between requests, so counters are counts of rows that never go back: a job finishes once
// (completed → expired is still "completed"), an email is sent once, an artifact is swept once,
// and the download decisions that leave no other row are counted by hour in metric_events. Series
// of every known label value are always present (zero-filled), so a first failure is an increase
// from 0 that rate() and increase() can see.

import { FAILURES } from '../jobs/failures';
import type { HistogramFamily, HistogramSeries, MetricFamily, Sample } from './exposition';
import { DURATION_BUCKETS_SECONDS, EMAIL_KINDS, FINISHED_OUTCOMES, PREFIX } from './names';

export interface JobGroupRow {
  type: string;
  status: string;
  failure_code: string | null;
  n: number;
  rows: number | null;
  bytes: number | null;
  stuck_flagged: number;
}

export interface LiveRow {
  type: string;
  queued: number;
  running: number;
  oldest_queued_at: number | null;
  stuck_queued: number;
  stalled_running: number;
}

export interface RetryRow {
  type: string;
  manual: number;
  automatic: number;
  reruns: number;
}

export type DurationRow = { type: string; n: number; sum_ms: number | null } & Record<`b${number}`, number | null>;

export interface OutboxRow {
  kind: string;
  sent: number;
  bounced: number;
  failed: number;
  pending: number;
  oldest_pending_at: number | null;
}

export interface ArtifactTotals {
  swept: number;
  stored: number;
  stored_bytes: number | null;
}

/** What collect.ts reads from D1 for one scrape. */
export interface MetricFacts {
  now: number;
  /** Report types to export series for (the catalog's), even before their first job. */
  types: readonly string[];
  groups: JobGroupRow[];
  live: LiveRow[];
  retries: RetryRow[];
  waits: DurationRow[];
  runs: DurationRow[];
  /** metric_events totals by name, every name of db/metrics.ts METRIC_EVENTS included (0 if none yet). */
  events: { name: string; n: number }[];
  outbox: OutboxRow[];
  artifacts: ArtifactTotals;
  ops: { runner_paused: boolean; new_requests_disabled: boolean; updated_at: number };
}

function durationSeries(rows: DurationRow[], types: string[]): HistogramSeries[] {
  const byType = new Map(rows.map((r) => [r.type, r]));
  return types.map((type) => {
    const row = byType.get(type);
    return {
      labels: { type },
      cumulative: DURATION_BUCKETS_SECONDS.map((_, i) => Number(row?.[`b${i}`] ?? 0)),
      count: Number(row?.n ?? 0),
      sum: Number(row?.sum_ms ?? 0) / 1000,
    };
  });
}

const sum = (values: Iterable<number>) => {
  let total = 0;
  for (const v of values) total += v;
  return total;
};

export function metricFamilies(facts: MetricFacts): MetricFamily[] {
  const { now, ops } = facts;
  const groupRows = facts.groups;
  const liveRows = facts.live;
  const retryRows = facts.retries;
  // Every type asked for, plus any type still in the table that the catalog no longer has.
  const types = [...new Set([...facts.types, ...groupRows.map((r) => r.type)])];
  const perType = (pick: (type: string) => number): Sample[] => types.map((type) => ({ labels: { type }, value: pick(type) }));
  const groupSum = (filter: (r: JobGroupRow) => boolean, value: (r: JobGroupRow) => number) =>
    sum(groupRows.filter(filter).map(value));
  const isDone = (r: JobGroupRow) => r.status === 'completed' || r.status === 'expired';
  const liveOf = (type: string) => liveRows.find((r) => r.type === type);
  const retryOf = (type: string) => retryRows.find((r) => r.type === type);
  const oldestQueued = liveRows.reduce<number | null>(
    (min, r) => (r.oldest_queued_at !== null && (min === null || r.oldest_queued_at < min) ? r.oldest_queued_at : min),
    null,
  );

  const outboxRows = facts.outbox;
  const kinds = [...new Set([...EMAIL_KINDS, ...outboxRows.map((r) => r.kind)])];
  const perKind = (pick: (r: OutboxRow | undefined) => number): Sample[] =>
    kinds.map((kind) => ({ labels: { kind }, value: pick(outboxRows.find((r) => r.kind === kind)) }));
  const oldestPending = outboxRows.reduce<number | null>(
    (min, r) => (r.oldest_pending_at !== null && (min === null || r.oldest_pending_at < min) ? r.oldest_pending_at : min),
    null,
  );

  const eventCounts = new Map(facts.events.map((r) => [r.name, Number(r.n)]));
  const artifactTotals = facts.artifacts;
  const failureReasons = [
    ...new Set([...Object.keys(FAILURES), ...groupRows.flatMap((r) => (r.failure_code ? [r.failure_code] : []))]),
  ];

  const histogram = (name: string, help: string, rows: DurationRow[]): HistogramFamily => ({
    type: 'histogram',
    name,
    help,
    buckets: DURATION_BUCKETS_SECONDS,
    series: durationSeries(rows, types),
  });

  return [
    {
      type: 'gauge',
      name: `${PREFIX}_queue_depth`,
      help: 'Report jobs waiting in the queue (status queued), by report type.',
      samples: perType((t) => Number(liveOf(t)?.queued ?? 0)),
    },
    {
      type: 'gauge',
      name: `${PREFIX}_queue_oldest_age_seconds`,
      help: 'Age of the oldest queued report job in seconds; 0 when the queue is empty.',
      samples: [{ value: oldestQueued === null ? 0 : Math.max(0, (now - oldestQueued) / 1000) }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_jobs_running`,
      help: 'Report jobs a runner is working on (status running), by report type.',
      samples: perType((t) => Number(liveOf(t)?.running ?? 0)),
    },
    {
      type: 'gauge',
      name: `${PREFIX}_jobs_stuck`,
      help: 'Jobs taking longer than usual: queued past the note threshold (state="queued"), or running without progress for as long (state="running").',
      samples: [
        { labels: { state: 'queued' }, value: sum(liveRows.map((r) => Number(r.stuck_queued))) },
        { labels: { state: 'running' }, value: sum(liveRows.map((r) => Number(r.stalled_running))) },
      ],
    },
    {
      type: 'counter',
      name: `${PREFIX}_jobs_created_total`,
      help: 'Report jobs created (asked for, retried, re-run or retried automatically), by report type.',
      samples: perType((t) =>
        groupSum(
          (r) => r.type === t,
          (r) => Number(r.n),
        ),
      ),
    },
    {
      type: 'counter',
      name: `${PREFIX}_jobs_finished_total`,
      help: 'Report jobs that finished, by report type and outcome (completed includes jobs whose file has since expired).',
      samples: types.flatMap((type) =>
        FINISHED_OUTCOMES.map((outcome) => ({
          labels: { type, outcome },
          value: groupSum(
            (r) => r.type === type && (outcome === 'completed' ? isDone(r) : r.status === outcome),
            (r) => Number(r.n),
          ),
        })),
      ),
    },
    {
      type: 'counter',
      name: `${PREFIX}_job_failures_total`,
      help: 'Failed report jobs by failure reason (stuck_in_queue: stuck-queue failures; dataset_too_large: size limit; interrupted: dead-lettered or lost its runner too often).',
      samples: failureReasons.map((reason) => ({
        labels: { reason },
        value: groupSum(
          (r) => r.status === 'failed' && r.failure_code === reason,
          (r) => Number(r.n),
        ),
      })),
    },
    {
      type: 'counter',
      name: `${PREFIX}_job_retries_total`,
      help: 'Retry jobs, by report type and trigger (manual: a person clicked Retry; automatic: the stuck-queue detector).',
      samples: types.flatMap((type) => [
        { labels: { type, trigger: 'manual' }, value: Number(retryOf(type)?.manual ?? 0) },
        { labels: { type, trigger: 'automatic' }, value: Number(retryOf(type)?.automatic ?? 0) },
      ]),
    },
    {
      type: 'counter',
      name: `${PREFIX}_job_reruns_total`,
      help: 'Re-runs of finished jobs (Re-run, or a new report from an expired link), by report type.',
      samples: perType((t) => Number(retryOf(t)?.reruns ?? 0)),
    },
    {
      type: 'counter',
      name: `${PREFIX}_jobs_stuck_flagged_total`,
      help: 'Jobs that were ever flagged "taking longer than usual" while queued, by report type.',
      samples: perType((t) =>
        groupSum(
          (r) => r.type === t,
          (r) => Number(r.stuck_flagged),
        ),
      ),
    },
    histogram(
      `${PREFIX}_job_queue_wait_seconds`,
      'Time from request to first claim by a runner (started_at - created_at), by report type.',
      facts.waits,
    ),
    histogram(
      `${PREFIX}_job_run_seconds`,
      'Time from first claim to finish (finished_at - started_at), including resumes, by report type.',
      facts.runs,
    ),
    {
      type: 'counter',
      name: `${PREFIX}_rows_exported_total`,
      help: 'Rows written into completed report files, by report type.',
      samples: perType((t) =>
        groupSum(
          (r) => r.type === t && isDone(r),
          (r) => Number(r.rows ?? 0),
        ),
      ),
    },
    {
      type: 'counter',
      name: `${PREFIX}_bytes_exported_total`,
      help: 'Bytes of completed report files, by report type.',
      samples: perType((t) =>
        groupSum(
          (r) => r.type === t && isDone(r),
          (r) => Number(r.bytes ?? 0),
        ),
      ),
    },
    {
      type: 'counter',
      name: `${PREFIX}_download_decisions_total`,
      help: 'Answers to signed download links, by outcome (served, permission_denied, bad_signature, link_expired, artifact_swept, not_ready, signed_out, not_found, not_available).',
      samples: [...eventCounts]
        .filter(([name]) => name.startsWith('download_'))
        .map(([name, value]) => ({ labels: { outcome: name.slice('download_'.length) }, value })),
    },
    {
      type: 'counter',
      name: `${PREFIX}_artifacts_swept_total`,
      help: 'Report files removed by the sweeper after their retention period.',
      samples: [{ value: Number(artifactTotals.swept ?? 0) }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_artifacts_stored`,
      help: 'Report files currently kept in R2.',
      samples: [{ value: Number(artifactTotals.stored ?? 0) }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_artifacts_stored_bytes`,
      help: 'Bytes of report files currently kept in R2.',
      samples: [{ value: Number(artifactTotals.stored_bytes ?? 0) }],
    },
    {
      type: 'counter',
      name: `${PREFIX}_emails_sent_total`,
      help: 'Emails handed to the email binding, by kind (report_ready, access_request); includes those that bounced later.',
      samples: perKind((r) => Number(r?.sent ?? 0)),
    },
    {
      type: 'counter',
      name: `${PREFIX}_emails_bounced_total`,
      help: 'Sent emails the provider reported as bounced or complained about, by kind.',
      samples: perKind((r) => Number(r?.bounced ?? 0)),
    },
    {
      type: 'counter',
      name: `${PREFIX}_emails_failed_total`,
      help: 'Emails given up on after their last attempt, by kind.',
      samples: perKind((r) => Number(r?.failed ?? 0)),
    },
    {
      type: 'counter',
      name: `${PREFIX}_email_dispatch_refused_total`,
      help: 'Cron runs in which the outbox dispatcher refused to send because APP_ORIGIN is not an https origin (see the email.dispatcher_refused log line).',
      samples: [{ value: eventCounts.get('email_dispatch_refused') ?? 0 }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_email_outbox_pending`,
      help: 'Emails waiting in the outbox for the dispatcher, by kind.',
      samples: perKind((r) => Number(r?.pending ?? 0)),
    },
    {
      type: 'gauge',
      name: `${PREFIX}_email_outbox_oldest_age_seconds`,
      help: 'Age of the oldest email waiting in the outbox in seconds; 0 when it is empty.',
      samples: [{ value: oldestPending === null ? 0 : Math.max(0, (now - oldestPending) / 1000) }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_runner_paused`,
      help: '1 while an operator has paused the report runner (queued jobs wait), else 0.',
      samples: [{ value: ops.runner_paused ? 1 : 0 }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_new_requests_disabled`,
      help: '1 while an operator refuses new report requests (completed files stay downloadable), else 0.',
      samples: [{ value: ops.new_requests_disabled ? 1 : 0 }],
    },
    {
      type: 'gauge',
      name: `${PREFIX}_ops_settings_changed_timestamp_seconds`,
      help: 'When an operator last changed a switch (Unix time in seconds); 0 if never.',
      samples: [{ value: ops.updated_at / 1000 }],
    },
  ];
}
