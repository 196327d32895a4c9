// Pure constants: families.ts and the Node-side scripts/check-ops.ts import them.

/** Every metric name starts with this, so one Prometheus selector finds them all. */
export const PREFIX = 'voyage_reports';

/** Upper bounds of the duration histograms, in seconds: a second up to an hour. */
export const DURATION_BUCKETS_SECONDS = [1, 5, 15, 60, 300, 900, 3600] as const;

/** How a finished job ended; `completed` includes completed jobs whose file expired since. */
export const FINISHED_OUTCOMES = ['completed', 'failed', 'cancelled'] as const;

/** The outbox's kinds of email (db/outbox.ts OutboxKind), always exported even before the first one. */
export const EMAIL_KINDS = ['report_ready', 'access_request', 'invitation'] as const;
