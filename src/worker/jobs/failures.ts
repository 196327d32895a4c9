import { megabytes } from '../output/limits';

// Every way a report job can fail: a machine code for operators and metrics, and a sentence that
// is safe and useful to show the organizer. Stack traces go to the log, never here.

export const FAILURES = {
  dataset_too_large: 'Dataset too large — try a narrower date range.',
  storage_unavailable: 'Storage temporarily unavailable — please retry.',
  query_timeout: 'The data query took too long — try a narrower date range.',
  interrupted: 'The report was interrupted — please retry.',
  // The wait is the configured REPORT_STUCK_FAIL_MINUTES: stuckInQueueReason writes it in.
  stuck_in_queue: 'The report did not start in time. We queued it again automatically.',
  invalid_parameters: 'The report parameters are no longer valid — adjust them and create a new report.',
  event_missing: 'The event of this report no longer exists.',
  queue_unavailable: 'The report queue is unavailable right now — please retry in a minute.',
  internal: 'Something went wrong while generating the report — please retry.',
} as const;
export type FailureCode = keyof typeof FAILURES;

/**
 * What helps after a failure: running it again as it was (`retry`), or a different request (a
 * narrower range, CSV instead of PDF, other parameters), or nothing the organizer can do. The
 * report center offers the remedy as the row's main action; Retry only where it can help.
 */
export type FailureRemedy = 'retry' | 'narrow_range' | 'use_csv' | 'adjust_parameters' | 'none';

export function failureRemedy(code: string | null, format: 'csv' | 'pdf'): FailureRemedy {
  switch (code) {
    case 'dataset_too_large':
      return format === 'pdf' ? 'use_csv' : 'narrow_range';
    case 'query_timeout':
      return 'narrow_range';
    case 'invalid_parameters':
      return 'adjust_parameters';
    case 'event_missing':
      return 'none';
    default:
      // Storage, queue, interruptions, a stuck queue, our own errors: the same request may well work.
      return 'retry';
  }
}

/** Why Retry would not help after a failure, and what would. */
export const RETRY_REFUSALS: Record<Exclude<FailureRemedy, 'retry'>, string> = {
  narrow_range: 'Retrying would fail the same way: create the report again with a narrower date range, or per month.',
  use_csv: 'Retrying would fail the same way: a PDF cannot hold this many rows. Create the report as CSV instead.',
  adjust_parameters: 'Retrying would fail the same way: adjust the parameters and create the report again.',
  none: 'This report cannot be made again: its event no longer exists.',
};

/** A failure the runner raises on purpose, with the reason the organizer will read. */
export class JobFailure extends Error {
  constructor(
    readonly code: FailureCode,
    readonly reason: string = FAILURES[code],
  ) {
    super(reason);
  }
}

/** Why a job that never started was failed: after `minutes`, retried once automatically, then not. */
export function stuckInQueueReason(minutes: number, retried: boolean): string {
  return retried
    ? `The report did not start within ${minutes} minutes. We queued it again automatically.`
    : `The report did not start within ${minutes} minutes — please retry.`;
}

export function sizeLimitReason(maxBytes: number): string {
  return `Dataset exceeded ${megabytes(maxBytes)}MB. Try a narrower date range or generate per-month reports.`;
}

/** An unexpected error, in the organizer's words: D1 time-outs are "too much data", the rest is ours. */
export function classifyError(err: unknown): JobFailure {
  if (err instanceof JobFailure) return err;
  const message = err instanceof Error ? err.message : String(err);
  if (/time(d)? ?out|too long|exceeded.*time/i.test(message)) return new JobFailure('query_timeout');
  return new JobFailure('internal');
}
