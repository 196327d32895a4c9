import { useId, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { Link } from '../../../app/router';
import { useCreateReportJob } from '../api/jobs';
import type { Job } from '../api/types';
import { monthLabel, monthlyRanges } from '../dates';
import type { RowContext } from './ReportJobRow';

/** The most monthly reports one click may ask for. */
export const MAX_MONTHLY_REPORTS = 24;

/** A job that failed because its file would have been over the size limit. */
export function isDatasetTooLarge(job: Job): boolean {
  if (job.failure_code === 'dataset_too_large') return true;
  return /^Dataset (exceeded|too large)/i.test(job.failure_reason ?? '');
}

/**
 * Recovery for "Dataset exceeded …": a deep link to the generate dialog with a narrower range, and
 * (when the failed job had both dates) one report per calendar month of its range.
 */
export function DatasetTooLargeActions({ job, context }: { job: Job; context: RowContext }) {
  const ids = useId();
  const [confirming, setConfirming] = useState(false);
  const create = useCreateReportJob(context.eventId);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const confirmRef = useRef<HTMLButtonElement>(null);

  const from = job.params.date_from;
  const to = job.params.date_to;
  const months = from && to ? monthlyRanges(from, to) : [];
  const canSplit = months.length >= 2 && months.length <= MAX_MONTHLY_REPORTS;
  const overQuota = context.quotaRemaining !== null && months.length > context.quotaRemaining;
  const first = months[0];
  const last = months[months.length - 1];

  const createMonthly = async () => {
    setPending(true);
    setError(null);
    const created: Job[] = [];
    try {
      for (const range of months) {
        const params = { ...job.params, date_from: range.from, date_to: range.to };
        created.push(await create.mutateAsync({ type: job.type, params, notify_emails: job.notify_emails }));
      }
      setConfirming(false);
    } catch (err) {
      const done = created.length > 0 ? `Created ${created.length} of ${months.length} reports. ` : '';
      setError(`${done}${errorMessage(err)}`);
    } finally {
      setPending(false);
      if (created.length > 0) context.onCreated([...created].reverse());
    }
  };

  return (
    <div className="job-recovery" data-test="report-job-dataset-actions">
      <div className="job-actions">
        <Link to={context.narrowHref(job)} className="btn btn-secondary btn-small" data-test="report-job-narrow-cta">
          Narrow the date range
        </Link>
        {canSplit && !confirming && (
          <button
            ref={toggleRef}
            type="button"
            className="btn btn-secondary btn-small"
            data-test="report-job-per-month-cta"
            aria-expanded={false}
            aria-controls={`${ids}-confirm`}
            onClick={() => {
              setConfirming(true);
              setError(null);
              requestAnimationFrame(() => confirmRef.current?.focus());
            }}
          >
            One report per month
          </button>
        )}
      </div>
      {confirming && first && last && (
        <div className="job-confirm" id={`${ids}-confirm`} data-test="report-job-per-month-confirm">
          <p id={`${ids}-text`}>
            Create {months.length} reports, one for each month from {monthLabel(first.from)} to {monthLabel(last.from)}, with the
            same settings?
          </p>
          {overQuota && (
            <p className="field-error">
              You can ask for {context.quotaRemaining} more {context.quotaRemaining === 1 ? 'report' : 'reports'} today, so not
              all of them can be created.
            </p>
          )}
          <div className="job-actions">
            <button
              ref={confirmRef}
              type="button"
              className="btn btn-primary btn-small"
              data-test="report-job-per-month-submit"
              aria-describedby={`${ids}-text`}
              disabled={pending}
              aria-busy={pending}
              onClick={() => void createMonthly()}
            >
              Create {months.length} reports
            </button>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              disabled={pending}
              onClick={() => {
                setConfirming(false);
                requestAnimationFrame(() => toggleRef.current?.focus());
              }}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
