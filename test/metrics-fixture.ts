// A scrape's facts with every family populated, for the checks that cannot reach D1: the Node-side
// scripts/check-ops.ts renders it and runs `promtool check metrics` on the text. It lives with the
// tests, so the fixture is type-checked against MetricFacts by the Worker's tsconfig.

import { renderExposition } from '../src/worker/metrics/exposition';
import { type MetricFacts, metricFamilies } from '../src/worker/metrics/families';

export { lintExposition } from './metrics-lint';

/** Every family populated, a type whose name needs escaping, a histogram with observations in several buckets. */
export const FIXTURE_FACTS: MetricFacts = {
  now: Date.UTC(2026, 0, 2),
  types: ['guest-list', 'orders'],
  groups: [
    { type: 'guest-list', status: 'completed', failure_code: null, n: 4, rows: 4000, bytes: 400_000, stuck_flagged: 0 },
    { type: 'guest-list', status: 'failed', failure_code: 'dataset_too_large', n: 1, rows: 10, bytes: 99, stuck_flagged: 0 },
    { type: 'orders', status: 'failed', failure_code: 'stuck_in_queue', n: 1, rows: 0, bytes: 0, stuck_flagged: 1 },
    { type: 'legacy "type"\\x', status: 'expired', failure_code: null, n: 2, rows: 5, bytes: 50, stuck_flagged: 0 },
  ],
  live: [
    {
      type: 'guest-list',
      queued: 2,
      running: 1,
      oldest_queued_at: Date.UTC(2026, 0, 1, 23, 50),
      stuck_queued: 1,
      stalled_running: 0,
    },
  ],
  retries: [{ type: 'orders', manual: 0, automatic: 1, reruns: 2 }],
  waits: [{ type: 'guest-list', n: 5, sum_ms: 9_500, b0: 2, b1: 4, b2: 5, b3: 5, b4: 5, b5: 5, b6: 5 }],
  runs: [{ type: 'guest-list', n: 5, sum_ms: 1_200_000, b0: 0, b1: 1, b2: 1, b3: 2, b4: 3, b5: 4, b6: 5 }],
  events: [
    { name: 'download_served', n: 12 },
    { name: 'download_permission_denied', n: 2 },
    { name: 'download_link_expired', n: 1 },
    { name: 'email_dispatch_refused', n: 2 },
  ],
  outbox: [{ kind: 'report_ready', sent: 5, bounced: 1, failed: 0, pending: 1, oldest_pending_at: Date.UTC(2026, 0, 1, 23, 59) }],
  artifacts: { swept: 3, stored: 4, stored_bytes: 400_000 },
  ops: { runner_paused: true, new_requests_disabled: false, updated_at: Date.UTC(2026, 0, 1, 23) },
};

/** The fixture's exposition text, and every metric name it exports (histograms: _bucket, _sum, _count). */
export function fixtureExposition(): { text: string; metricNames: string[] } {
  const families = metricFamilies(FIXTURE_FACTS);
  return {
    text: renderExposition(families),
    metricNames: families.flatMap((f) =>
      f.type === 'histogram' ? [`${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name],
    ),
  };
}
