import { useEffect, useId, useRef, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { formatBytes, formatDateAndTimeIn, formatDateTimeIn, plural, toIso } from '../../../lib/format';
import { useCancelReportJob, useRerunReportJob, useRetryReportJob } from '../api/jobs';
import { type CancelOutcome, isActive, isTerminal, type Job } from '../api/types';
import { describeParams } from '../summary';
import { BounceNotice } from './BounceNotice';
import { bounceOutstanding, Deliveries } from './Deliveries';
import { FailureActions, offersRetry } from './FailureActions';
import { JobProgress } from './JobProgress';
import { StatusPill } from './StatusPill';

export const STUCK_NOTE = "Job is taking longer than usual. We're investigating.";
export const MAY_COMPLETE_NOTE = 'Cancellation requested — may complete anyway';
export const PAUSED_NOTE = 'Reports are paused by the operator. This one will start when they resume.';

/** What a row needs from the page: the event, the quota, and how to show new or changed jobs. */
export interface RowContext {
  eventId: string;
  /** Reports the user may still ask for today; null when unknown. */
  quotaRemaining: number | null;
  /** New jobs (newest first) to show at the top of the list at once. */
  onCreated: (jobs: Job[]) => void;
  /** A job's new state, to show in place before the next refresh. */
  onUpdated: (job: Job) => void;
  /** The deep link that opens the generate dialog on this job's type, with a narrower range. */
  narrowHref: (job: Job) => string;
  /** A job to point out (?highlight=<job_id>, e.g. after "Generate a new one" on an expired link). */
  highlightId: string | null;
  /** Whether the user may cancel, retry and resend this job: they asked for it, or they are a workspace admin. */
  canManage: (job: Job) => boolean;
  /** The operator has paused the runner: queued jobs wait for that, not for an investigation. */
  runnerPaused: boolean;
  /** The event's time zone: every time on the page is shown in it, labelled once above the list. */
  timeZone: string;
}

function cancelNote(job: Job, outcome: CancelOutcome | null): string | null {
  if (!isActive(job)) return null;
  const requested = outcome === 'requested' || outcome === 'requested_may_complete' || Boolean(job.cancel_requested_at);
  if (!requested) return null;
  if (outcome === 'requested_may_complete' || job.phase === 'finalizing') return MAY_COMPLETE_NOTE;
  return 'Cancellation requested — stopping the report…';
}

export function ReportJobRow({ job, context }: { job: Job; context: RowContext }) {
  const typeId = useId();
  const cancelJob = useCancelReportJob(context.eventId);
  const retryJob = useRetryReportJob(context.eventId);
  const rerunJob = useRerunReportJob(context.eventId);
  const busy = cancelJob.isPending || retryJob.isPending || rerunJob.isPending;
  const [error, setError] = useState<string | null>(null);
  const [cancelOutcome, setCancelOutcome] = useState<CancelOutcome | null>(null);
  const [resentTo, setResentTo] = useState<string[] | null>(null);
  const noteRef = useRef<HTMLParagraphElement>(null);
  const focusNote = useRef(false);
  const note = cancelNote(job, cancelOutcome);
  const highlighted = context.highlightId === job.job_id;
  const rowRef = useRef<HTMLTableRowElement>(null);

  useEffect(() => {
    if (highlighted) rowRef.current?.scrollIntoView({ block: 'center' });
  }, [highlighted]);

  useEffect(() => {
    if (note && focusNote.current) {
      focusNote.current = false;
      noteRef.current?.focus();
    }
  }, [note]);

  const fail = (err: unknown) => setError(errorMessage(err));

  // A failed cancel (the job finished meanwhile) shows the job as it is now: the mutation refreshes the list.
  const cancel = () => {
    setError(null);
    cancelJob.mutate(job.job_id, {
      onSuccess: (result) => {
        setCancelOutcome(result.outcome);
        focusNote.current = result.outcome !== 'cancelled';
        context.onUpdated(result.job);
      },
      onError: fail,
    });
  };

  const again = (kind: 'retry' | 'rerun') => {
    setError(null);
    (kind === 'retry' ? retryJob : rerunJob).mutate(job.job_id, {
      onSuccess: (created) => context.onCreated([created]),
      onError: fail,
    });
  };

  const finishedDespiteCancel = cancelOutcome === 'requested_may_complete' && job.status === 'completed';
  const mine = context.canManage(job);

  return (
    <tr
      ref={rowRef}
      className={highlighted ? 'job-row job-row-highlight' : 'job-row'}
      data-test="report-job-row"
      data-job-id={job.job_id}
      data-status={job.status}
    >
      <td className="job-cell job-cell-status" data-label="Status">
        <StatusPill status={job.status} />
        {context.runnerPaused && job.status === 'queued' ? (
          <p className="job-note" data-test="report-job-paused-note">
            {PAUSED_NOTE}
          </p>
        ) : (
          job.stuck === true &&
          isActive(job) && (
            <p className="job-note job-note-warn" data-test="report-job-stuck-note">
              {STUCK_NOTE}
            </p>
          )
        )}
      </td>

      <td className="job-cell job-cell-report" data-label="Report">
        <p className="job-type" id={typeId} data-test="report-job-type">
          <span className="job-type-name">{job.type_name || job.type}</span>
          <span className="visually-hidden"> · </span>
          <span className="job-params">{describeParams(job)}</span>
        </p>
        <Deliveries job={job} timeZone={context.timeZone} />
        {bounceOutstanding(job) && <BounceNotice job={job} context={context} canResend={mine} onResent={setResentTo} />}
        <div role="status" className="job-status-region">
          {resentTo && (
            <p className="job-note" data-test="report-job-resend-confirmation">
              Notification sent again to {resentTo.join(', ')}.
            </p>
          )}
        </div>
      </td>

      <td className="job-cell job-cell-time" data-label="Created">
        <Timestamp epochMs={job.created_at} timeZone={context.timeZone} testId="report-job-created-at" />
      </td>

      <td className="job-cell job-cell-time" data-label="Updated">
        <Timestamp epochMs={job.updated_at} timeZone={context.timeZone} testId="report-job-updated-at" />
      </td>

      <td className="job-cell job-cell-user" data-label="Requested by">
        <span data-test="report-job-requested-by">{job.requested_by_name ?? 'Unknown user'}</span>
      </td>

      <td className="job-cell job-cell-outcome" data-label="Result">
        <div className="job-outcome">
          <Outcome job={job} describedBy={typeId} timeZone={context.timeZone} />

          {note && (
            <p className="job-note" data-test="report-job-cancel-note" role="status" tabIndex={-1} ref={noteRef}>
              {note}
            </p>
          )}
          {finishedDespiteCancel && (
            <p className="job-note muted" data-test="report-job-cancel-late-note">
              The report finished before the cancellation could take effect.
            </p>
          )}

          {job.status === 'failed' && <FailureActions job={job} context={context} />}

          <div className="job-actions">
            {isActive(job) && !note && mine && (
              <button
                type="button"
                className="btn btn-secondary btn-small"
                data-test="report-job-cancel-cta"
                aria-describedby={typeId}
                disabled={busy}
                aria-busy={cancelJob.isPending}
                onClick={cancel}
              >
                Cancel
              </button>
            )}
            {offersRetry(job) && mine && (
              <button
                type="button"
                className="btn btn-primary btn-small"
                data-test="report-job-retry-cta"
                aria-describedby={typeId}
                disabled={busy}
                aria-busy={retryJob.isPending}
                onClick={() => again('retry')}
              >
                Retry
              </button>
            )}
            {isTerminal(job) && (job.status !== 'failed' || offersRetry(job)) && (
              <button
                type="button"
                className="btn btn-ghost btn-small"
                data-test="report-job-rerun-cta"
                aria-describedby={typeId}
                disabled={busy}
                aria-busy={rerunJob.isPending}
                onClick={() => again('rerun')}
              >
                Re-run with same parameters
              </button>
            )}
          </div>

          {error && (
            <p className="field-error job-error" role="alert" data-test="report-job-action-error">
              {error}
            </p>
          )}
        </div>
      </td>
    </tr>
  );
}

function Timestamp({ epochMs, timeZone, testId }: { epochMs: number; timeZone: string; testId: string }) {
  const { date, time } = formatDateAndTimeIn(epochMs, timeZone);
  return (
    <time
      dateTime={toIso(epochMs)}
      title={`${formatDateTimeIn(epochMs, timeZone)} (${timeZone})`}
      data-test={testId}
      className="timestamp"
    >
      <span className="timestamp-date">{date}</span> <span className="timestamp-time">{time}</span>
    </time>
  );
}

function Outcome({ job, describedBy, timeZone }: { job: Job; describedBy: string; timeZone: string }) {
  if (isActive(job)) return <JobProgress job={job} label={`Progress of ${job.type_name || job.type}`} />;

  if (job.status === 'failed') {
    return (
      <p className="job-failure" data-test="report-job-failure-reason">
        {job.failure_reason || 'The report could not be generated.'}
      </p>
    );
  }

  if (job.status === 'completed' && job.download_url !== null) {
    return (
      <div className="job-download">
        <a
          className="btn btn-secondary btn-small"
          href={job.download_url}
          data-test="report-job-download-cta"
          aria-describedby={describedBy}
        >
          Download
        </a>
        {job.artifact && (
          <span className="muted small">
            {formatBytes(job.artifact.size_bytes ?? 0)} · {plural(job.artifact.row_count ?? 0, 'row', 'rows')}
            <span className="job-downloads" data-test="report-job-downloads">
              {job.artifact.last_downloaded_at
                ? `Downloaded ${plural(job.artifact.download_count ?? 0, 'time', 'times')}, last ${formatDateTimeIn(job.artifact.last_downloaded_at, timeZone)}`
                : 'Not downloaded yet'}
            </span>
          </span>
        )}
      </div>
    );
  }

  if (job.status === 'expired' || (job.status === 'completed' && job.artifact?.swept_at)) {
    return (
      <p className="muted small" data-test="report-job-expired-note">
        The file was removed after its retention period. Re-run the report to get a new one.
      </p>
    );
  }
  if (job.status === 'completed') return <p className="muted small">The file is no longer available.</p>;
  if (job.status === 'cancelled') return <p className="muted small">Cancelled. Nothing was delivered.</p>;
  return null;
}
