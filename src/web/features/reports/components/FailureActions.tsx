import { withQuery } from '../../../api/client';
import { Link } from '../../../app/router';
import type { FailureRemedy, Job } from '../api/types';
import { newReportHref, reportsPath } from '../links';
import { DatasetTooLargeActions, isDatasetTooLarge } from './DatasetTooLargeActions';
import type { RowContext } from './ReportJobRow';

/**
 * What helps after a failure, as the server says (failure_remedy). Unknown (an older server, a
 * job without a code): a retry, as before.
 */
export function remedyOf(job: Job): FailureRemedy {
  if (job.failure_remedy) return job.failure_remedy;
  return isDatasetTooLarge(job) ? (job.format === 'pdf' ? 'use_csv' : 'narrow_range') : 'retry';
}

/** Retry is offered only where it can help, and not once a retry exists (it would be a duplicate). */
export function offersRetry(job: Job): boolean {
  return job.status === 'failed' && remedyOf(job) === 'retry' && !job.retried_by;
}

const REMEDY_NOTES: Record<FailureRemedy, string> = {
  retry: 'Retrying can help.',
  narrow_range: 'Retrying would fail the same way: ask for a narrower date range.',
  use_csv: 'Retrying would fail the same way: a PDF cannot hold this many rows. Create it as CSV.',
  adjust_parameters: 'Retrying would fail the same way: adjust the parameters.',
  none: 'This report cannot be made again.',
};

/**
 * Under a failed job's reason: whether a retry helps, the retry that already exists (made
 * automatically after a stuck queue, or by someone), and otherwise the fix as the main action.
 */
export function FailureActions({ job, context }: { job: Job; context: RowContext }) {
  const remedy = remedyOf(job);
  const retriedBy = job.retried_by;
  return (
    <div className="job-recovery" data-test="report-job-remedy" data-remedy={remedy}>
      {retriedBy ? (
        <p className="job-note" data-test="report-job-retried">
          {job.failure_code === 'stuck_in_queue' ? 'Retried automatically: ' : 'Already retried: '}
          <Link
            to={withQuery(reportsPath(context.eventId), { highlight: retriedBy })}
            data-test="report-job-retried-link"
            aria-label={`See the retry of ${job.type_name || job.type}`}
          >
            see the retry
          </Link>
          .
        </p>
      ) : (
        <p className="job-note muted" data-test="report-job-remedy-note">
          {REMEDY_NOTES[remedy]}
        </p>
      )}
      {remedy === 'narrow_range' && <DatasetTooLargeActions job={job} context={context} />}
      {remedy === 'use_csv' && (
        <div className="job-actions">
          <Link
            to={newReportHref(context.eventId, {
              type: job.type,
              params: { ...job.params, format: 'csv' },
              notify: job.notify_emails,
            })}
            className="btn btn-primary btn-small"
            data-test="report-job-use-csv-cta"
          >
            Create it as CSV
          </Link>
        </div>
      )}
      {remedy === 'adjust_parameters' && (
        <div className="job-actions">
          <Link
            to={newReportHref(context.eventId, { type: job.type, params: job.params, notify: job.notify_emails })}
            className="btn btn-primary btn-small"
            data-test="report-job-adjust-cta"
          >
            Adjust the parameters
          </Link>
        </div>
      )}
    </div>
  );
}
