// Examples of the API reference. test/openapi.test.ts validates every one of them against its schema,
// both the zod schema and the JSON Schema the document publishes.

import type { IngestTableName } from '../ingest/tables';

const T = 1_767_225_600_000; // 2026-01-01T00:00:00Z

export const jobExample = {
  job_id: '01kq3m2v8x0000000000000000',
  event_id: 'evacmesummit',
  workspace_id: 'wsacme',
  type: 'guest-list',
  type_name: 'Guest list summary',
  format: 'csv',
  params: { format: 'csv', date_from: '2026-01-01', date_to: '2026-01-31', include_bom: true },
  status: 'completed',
  requested_by: 'uorganizer',
  requested_by_name: 'Olivia Organizer',
  notify_emails: ['organizer@acme.test'],
  snapshot_at: T,
  phase: null,
  rows_done: 3200,
  rows_expected: 3200,
  bytes_written: 412_345,
  attempts: 1,
  cancel_requested_at: null,
  failure_code: null,
  failure_reason: null,
  retry_of: null,
  rerun_of: null,
  created_at: T,
  updated_at: T + 4_000,
  started_at: T + 800,
  finished_at: T + 4_000,
  stuck: false,
  notification_status: 'sent',
  notification_bounced: false,
  failure_remedy: null,
  retried_by: null,
  bounced_recipients: [],
  notifications: [{ recipient: 'organizer@acme.test', status: 'sent', at: T + 5_000 }],
  artifact: {
    file_name: 'acme-product-summit-2026_guest-list_2026-01-01_2026-01-31.csv',
    size_bytes: 412_345,
    content_type: 'text/csv; charset=utf-8',
    row_count: 3200,
    download_count: 0,
    last_downloaded_at: null,
    expires_at: T + 30 * 86_400_000,
    swept_at: null,
  },
  download_url:
    '/v1/admin/events/evacmesummit/reports/jobs/01kq3m2v8x0000000000000000/download?expires=1767830400&signature=0000000000000000000000000000000000000000000000000000000000000000',
  download_url_expires_at: T + 7 * 86_400_000,
};

export const queuedJobExample = {
  ...jobExample,
  status: 'queued',
  rows_done: 0,
  rows_expected: null,
  bytes_written: 0,
  attempts: 0,
  updated_at: T,
  started_at: null,
  finished_at: null,
  notification_status: null,
  artifact: null,
  download_url: null,
  download_url_expires_at: null,
};

export const userExample = { id: 'uadmin', email: 'admin@acme.test', name: 'Ada Admin', is_operator: true };
export const membershipExample = { workspace_id: 'wsacme', workspace_name: 'Acme Events', role: 'admin' };

export const eventExample = {
  id: 'evacmesummit',
  workspace_id: 'wsacme',
  name: 'Acme Product Summit 2026',
  slug: 'acme-product-summit-2026',
  time_zone: 'America/New_York',
  starts_at: T + 200 * 86_400_000,
  ends_at: T + 201 * 86_400_000,
  created_at: T,
};

export const errorExamples = {
  400: { error: { code: 'validation_failed', message: 'params.date_to: date_to must be on or after date_from' } },
  401: { error: { code: 'unauthenticated', message: 'Sign in to continue.' } },
  403: { error: { code: 'forbidden', message: 'Only platform operators can do this.' } },
  404: { error: { code: 'not_found', message: 'Report not found.' } },
  409: { error: { code: 'not_cancellable', message: 'This report is already completed; there is nothing to cancel.' } },
  410: {
    error: { code: 'link_expired', message: 'This download link expired on January 8, 2026 at 7:00 PM (America/New_York).' },
  },
  413: {
    error: { code: 'export_too_large', message: 'This export has 12,000 orders, more than the 10,000 a direct download allows.' },
  },
  429: { error: { code: 'quota_exceeded', message: 'You have reached your limit of 100 reports in 24 hours.' } },
  503: {
    error: {
      code: 'new_requests_disabled',
      message: 'New reports are paused by an operator for a moment. Completed reports can still be downloaded.',
    },
  },
} as const;

const point = {
  start: T,
  jobs_created: 12,
  jobs_completed: 10,
  jobs_failed: 1,
  jobs_cancelled: 1,
  retries_manual: 1,
  retries_automatic: 0,
  stuck_queue_failures: 0,
  size_limit_failures: 1,
  interrupted_failures: 0,
  rows_exported: 41_000,
  bytes_exported: 5_100_000,
  queue_wait_avg_seconds: 0.8,
  queue_wait_max_seconds: 2.1,
  run_avg_seconds: 3.5,
  run_max_seconds: 9.2,
  queue_depth: 0,
  running: 1,
  downloads_served: 8,
  download_permission_denied: 1,
  download_bad_signature: 0,
  download_link_expired: 2,
  download_other: 0,
  emails_sent: 9,
  emails_bounced: 0,
  emails_failed: 0,
  artifacts_swept: 0,
};

const { start: _s, queue_depth: _q, running: _r, ...pointTotals } = point;

export const overviewExample = {
  range: '24h',
  bucket: 'hour',
  generated_at: T + 3_600_000,
  series: [point],
  totals: { ...pointTotals, failure_rate: 1 / 12 },
  queue: {
    depth: 1,
    running: 0,
    stuck: 0,
    oldest: {
      job_id: '01kq3m2v8x0000000000000001',
      event_id: 'evacmesummit',
      event_name: 'Acme Product Summit 2026',
      workspace_name: 'Acme Events',
      type: 'orders',
      type_name: 'Orders',
      status: 'queued',
      phase: null,
      created_at: T + 3_590_000,
      started_at: null,
      age_seconds: 10,
      rows_done: 0,
      rows_expected: null,
      stuck: false,
      cancel_requested: false,
    },
    jobs: [],
  },
  failures: [
    {
      job_id: '01kq3m2v8x0000000000000002',
      event_id: 'evacmesummit',
      event_name: 'Acme Product Summit 2026',
      workspace_name: 'Acme Events',
      type: 'guest-list',
      type_name: 'Guest list summary',
      failure_code: 'dataset_too_large',
      failure_reason: 'Dataset exceeded 50MB. Try a narrower date range or generate per-month reports.',
      finished_at: T + 1_800_000,
      retried_by: null,
    },
  ],
  settings: { runner_paused: false, new_requests_disabled: false, updated_at: 0, updated_by_name: null },
};

export const metricsExample = `# HELP voyage_reports_queue_depth Report jobs waiting in the queue (status queued), by report type.
# TYPE voyage_reports_queue_depth gauge
voyage_reports_queue_depth{type="guest-list"} 0
# HELP voyage_reports_runner_paused 1 while an operator has paused the report runner (queued jobs wait), else 0.
# TYPE voyage_reports_runner_paused gauge
voyage_reports_runner_paused 0
`;

// Provisioning: an API token, a job as the token API shows it, one row per ingest table.

export const tokenExample = {
  id: '01kq3m2v8x00000000000000t1',
  workspace_id: 'wsacme',
  name: 'Voyage platform sync',
  role: 'admin',
  prefix: 'vrt_01kq3m2v8x00000000000000t1_',
  created_by: 'uadmin',
  created_by_name: 'Ada Admin',
  created_at: T,
  last_used_at: T + 60_000,
  revoked_at: null,
};
export const apiJobExample = {
  ...jobExample,
  requested_by: 'tok01kq3m2v8x00000000000000t1',
  requested_by_name: 'Voyage platform sync (API token)',
  download_url: `/v1/api/events/evacmesummit/reports/jobs/${jobExample.job_id}/download`,
  download_url_expires_at: null,
};

/** One valid row per table, for the reference (and checked against the table's schema by the tests). */
export const ROW_EXAMPLES: Record<IngestTableName, Record<string, unknown>> = {
  guests: {
    id: 'g-1001',
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    company: 'Analytical Engines',
    ticket_type: 'VIP',
    rsvp_status: 'attending',
    registered_at: T,
    checked_in_at: null,
  },
  ticket_types: { id: 'tt-vip', name: 'VIP', currency: 'EUR', price_cents: 24900, capacity: 200, sort_order: 1 },
  ticket_blocks: { id: 'tb-press', ticket_type_id: 'tt-vip', name: 'Press', held_for: 'Press office', allocated: 20 },
  orders: {
    id: 'o-5001',
    order_number: 'A-5001',
    buyer_name: 'Ada Lovelace',
    buyer_email: 'ada@example.com',
    status: 'paid',
    currency: 'EUR',
    total_cents: 24900,
    refunded_cents: 0,
    ticket_count: 1,
    placed_at: T,
  },
  order_items: {
    id: 'oi-1',
    order_id: 'o-5001',
    ticket_type_id: 'tt-vip',
    ticket_block_id: null,
    quantity: 1,
    unit_price_cents: 24900,
    refunded_quantity: 0,
    refunded_cents: 0,
  },
  check_ins: {
    id: 'ci-1',
    guest_id: 'g-1001',
    scanned_at: T + 86_400_000,
    entrance: 'North',
    device: 'scanner-2',
    scanned_by: 'Sam',
  },
  sponsors: { id: 'sp-1', name: 'Globex', tier: 'gold' },
  sponsor_leads: {
    id: 'sl-1',
    sponsor_id: 'sp-1',
    guest_id: 'g-1001',
    full_name: 'Ada Lovelace',
    email: 'ada@example.com',
    company: 'Analytical Engines',
    job_title: 'Mathematician',
    rating: 'hot',
    notes: 'Wants a demo',
    scanned_by: 'Booth 4',
    scanned_at: T + 90_000_000,
  },
  email_messages: {
    id: 'em-1',
    campaign: 'Welcome',
    subject: 'See you soon',
    recipient: 'ada@example.com',
    guest_id: 'g-1001',
    sent_at: T,
  },
  email_events: { id: 'ee-1', message_id: 'em-1', kind: 'delivered', detail: '', occurred_at: T + 5_000 },
  activity_log: { id: 'al-1', occurred_at: T, actor_type: 'guest', actor_name: 'Ada Lovelace', action: 'registered', detail: '' },
};
