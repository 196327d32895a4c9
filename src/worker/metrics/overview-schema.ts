// The response of GET /v1/admin/ops/overview, as a zod schema. Plain zod with no imports from the
// Worker: the SPA infers its types from it (src/web/api/types.ts), and the API reference publishes it.

import { z } from 'zod';

const count = z.number().int().min(0);
const seconds = z.number().min(0).nullable();

export const overviewPoint = z.object({
  start: z.number().int().describe('Start of the bucket, epoch ms (UTC).'),
  jobs_created: count,
  jobs_completed: count,
  jobs_failed: count,
  jobs_cancelled: count,
  retries_manual: count,
  retries_automatic: count,
  stuck_queue_failures: count,
  size_limit_failures: count,
  interrupted_failures: count,
  rows_exported: count,
  bytes_exported: count,
  queue_wait_avg_seconds: seconds.describe('Mean queue wait of the jobs first claimed in the bucket.'),
  queue_wait_max_seconds: seconds,
  run_avg_seconds: seconds.describe('Mean run time of the jobs that finished in the bucket.'),
  run_max_seconds: seconds,
  queue_depth: count.describe('Jobs queued at the end of the bucket (or now, for the current one).'),
  running: count.describe('Jobs running at the end of the bucket (or now).'),
  downloads_served: count,
  download_permission_denied: count,
  download_bad_signature: count,
  download_link_expired: count,
  download_other: count.describe('Not ready, signed out, not found, not available, or swept.'),
  emails_sent: count,
  emails_bounced: count,
  emails_failed: count,
  artifacts_swept: count,
});
export type OverviewPoint = z.infer<typeof overviewPoint>;

/** The job a queue or failure row is about, and its event. */
export const jobRef = z.object({
  job_id: z.string(),
  event_id: z.string(),
  event_name: z.string().nullable(),
  workspace_name: z.string().nullable(),
  type: z.string(),
  type_name: z.string(),
});

const queueJob = jobRef.extend({
  status: z.enum(['queued', 'running']),
  phase: z.string().nullable(),
  created_at: z.number().int(),
  started_at: z.number().int().nullable(),
  age_seconds: z.number().min(0),
  rows_done: count,
  rows_expected: count.nullable(),
  stuck: z.boolean(),
  cancel_requested: z.boolean(),
});

const failure = jobRef.extend({
  failure_code: z.string().nullable(),
  failure_reason: z.string().nullable(),
  finished_at: z.number().int(),
  retried_by: z.string().nullable().describe('The retry job, if one was made (by a person or the stuck detector).'),
});

export const overviewResponse = z.object({
  range: z.enum(['24h', '7d']),
  bucket: z.enum(['hour', 'day']),
  generated_at: z.number().int(),
  series: z.array(overviewPoint),
  totals: overviewPoint.omit({ start: true, queue_depth: true, running: true }).extend({
    failure_rate: z.number().min(0).max(1).nullable().describe('Failed / finished jobs in the range; null when none finished.'),
  }),
  queue: z.object({
    depth: count,
    running: count,
    stuck: count,
    oldest: queueJob.nullable(),
    jobs: z.array(queueJob).describe('Queued jobs oldest first, then running ones (at most 50).'),
  }),
  failures: z.array(failure).describe('The most recent failed jobs of the range (at most 20).'),
  settings: z.object({
    runner_paused: z.boolean(),
    new_requests_disabled: z.boolean(),
    updated_at: z.number().int(),
    updated_by_name: z.string().nullable(),
  }),
});
export type Overview = z.infer<typeof overviewResponse>;
