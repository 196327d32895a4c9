const HOUR = 3_600_000;

/** Names of the counted events; each is also a Prometheus counter in the metrics endpoint. */
export const METRIC_EVENTS = [
  'download_served',
  'download_permission_denied',
  'download_bad_signature',
  'download_link_expired',
  'download_artifact_swept',
  'download_not_ready',
  'download_signed_out',
  'download_not_found',
  'download_not_available',
  // A cron run whose outbox dispatcher refused to start: APP_ORIGIN is not an https origin.
  'email_dispatch_refused',
] as const;
export type MetricEvent = (typeof METRIC_EVENTS)[number];

export function countEventStatement(db: D1Database, name: MetricEvent, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO metric_events (name, hour_start, count) VALUES (?, ?, 1)
       ON CONFLICT (name, hour_start) DO UPDATE SET count = count + 1`,
    )
    .bind(name, Math.floor(now / HOUR) * HOUR);
}

export async function countEvent(db: D1Database, name: MetricEvent, now: number): Promise<void> {
  await countEventStatement(db, name, now).run();
}
