import { errorMessage } from '../../api/client';
import type { Job } from '../../api/types';
import { Link } from '../../app/router';
import { formatNumber, plural } from '../../lib/format';
import { useRetryReportJob } from '../reports/api/jobs';
import { isActive } from '../reports/api/types';
import { offersRetry, remedyOf } from '../reports/components/FailureActions';
import { narrowedRange } from '../reports/dates';
import { newReportHref } from '../reports/links';
import { type OrderFilters, useExportJob, useExportOrders, useLastExport } from './api/orders';

type ExportState =
  | { kind: 'idle' }
  | { kind: 'requesting' }
  | { kind: 'sync'; rows: number; url: string }
  | { kind: 'job'; rows: number; job: Job }
  | { kind: 'error'; message: string };

/** Start a browser download of a same-origin link without leaving the page. */
function startDownload(url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = '';
  document.body.append(a);
  a.click();
  a.remove();
}

interface ExportPanelProps {
  eventId: string;
  /** The filters on screen at the moment of the click; the export keeps exactly these. */
  currentFilters: () => OrderFilters;
  reportsHref: string;
}

/**
 * "Export CSV" and what became of it: a small export downloads at once; a large one is a report
 * job whose state is shown here (queued, running, completed with its download, failed with its
 * reason) and in the report center.
 */
export function ExportPanel({ eventId, currentFilters, reportsHref }: ExportPanelProps) {
  const exporter = useExportOrders(eventId);
  const retrier = useRetryReportJob(eventId);
  const remembered = useLastExport(eventId);
  const result = exporter.data;
  // The job on screen: a retry's, else this visit's export, else the last one remembered.
  const fromExport = result?.mode === 'job' ? result.job : null;
  const started = retrier.data ?? fromExport ?? (result === undefined ? remembered : null);
  // Followed until it ends (polled while queued or running).
  const job = useExportJob(eventId, started);
  const failure = exporter.error ?? retrier.error ?? job.error;

  function exportState(): ExportState {
    if (exporter.isPending || retrier.isPending) return { kind: 'requesting' };
    if (failure) return { kind: 'error', message: errorMessage(failure) };
    if (result?.mode === 'sync') return { kind: 'sync', rows: result.rows, url: result.download_url };
    if (!started) return { kind: 'idle' };
    const rows = started === fromExport ? (result?.rows ?? 0) : (started.rows_expected ?? 0);
    return { kind: 'job', rows, job: job.data ?? started };
  }

  const state = exportState();
  const active = state.kind === 'job' && isActive(state.job);

  const start = () => {
    retrier.reset();
    exporter.mutate(currentFilters(), {
      onSuccess: (answer) => {
        if (answer.mode === 'sync') startDownload(answer.download_url);
      },
    });
  };
  const retry = (failed: Job) => {
    exporter.reset();
    retrier.mutate(failed.job_id);
  };

  return (
    <div className="orders-export">
      <button
        type="button"
        className="btn btn-primary"
        data-test="orders-export-cta"
        disabled={state.kind === 'requesting' || active}
        onClick={start}
      >
        {state.kind === 'requesting' ? 'Preparing export…' : 'Export CSV'}
      </button>
      <ExportStatus state={state} eventId={eventId} reportsHref={reportsHref} onRetry={retry} />
    </div>
  );
}

function ExportStatus({
  state,
  eventId,
  reportsHref,
  onRetry,
}: {
  state: ExportState;
  eventId: string;
  reportsHref: string;
  onRetry: (job: Job) => void;
}) {
  if (state.kind === 'idle' || state.kind === 'requesting') return null;
  if (state.kind === 'error') {
    return (
      <p className="orders-export-status notice notice-error" role="alert" data-test="orders-export-status" data-state="error">
        {state.message}
      </p>
    );
  }
  if (state.kind === 'sync') {
    return (
      <p className="orders-export-status" role="status" data-test="orders-export-status" data-state="downloaded">
        Your CSV with {plural(state.rows, 'order', 'orders')} is downloading.{' '}
        <a href={state.url} download data-test="orders-export-download">
          Download again
        </a>
      </p>
    );
  }
  const { job, rows } = state;
  const progress =
    job.status === 'running' && job.rows_expected
      ? ` ${formatNumber(job.rows_done)} of ${formatNumber(job.rows_expected)} rows.`
      : job.status === 'queued'
        ? ' Waiting to start.'
        : '';
  return (
    <div
      className="orders-export-status"
      role="status"
      data-test="orders-export-status"
      data-state={job.status}
      data-job-id={job.job_id}
    >
      <p>
        <span className={`pill pill-${job.status}`} data-test="orders-export-job-status">
          {job.status}
        </span>
        {job.status === 'completed'
          ? `Your CSV with ${plural(job.artifact?.row_count ?? rows, 'order', 'orders')} is ready.`
          : job.status === 'failed'
            ? job.failure_reason
            : isActive(job)
              ? `This export has ${plural(rows, 'order', 'orders')}, more than a direct download allows, so it runs in the background.${progress}`
              : `The export was ${job.status}.`}
      </p>
      {job.status === 'completed' && job.download_url && (
        <p>
          <a className="btn btn-secondary btn-small" href={job.download_url} data-test="orders-export-download">
            Download CSV
          </a>
        </p>
      )}
      {job.status === 'failed' && <ExportRecovery job={job} eventId={eventId} reportsHref={reportsHref} onRetry={onRetry} />}
      <p className="muted small">
        It is also in the <Link to={reportsHref}>report center</Link>; you can leave this page.
      </p>
    </div>
  );
}

/** A failed export offers what the report center offers: Retry where it helps, else the fix. */
function ExportRecovery({
  job,
  eventId,
  reportsHref,
  onRetry,
}: {
  job: Job;
  eventId: string;
  reportsHref: string;
  onRetry: (job: Job) => void;
}) {
  const remedy = remedyOf(job);
  if (job.retried_by) {
    return (
      <p data-test="orders-export-retried">
        It was retried:{' '}
        <Link to={`${reportsHref}?highlight=${job.retried_by}`} data-test="orders-export-retried-link">
          see the retry in the report center
        </Link>
        .
      </p>
    );
  }
  if (offersRetry(job)) {
    return (
      <p>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          data-test="orders-export-retry"
          onClick={() => onRetry(job)}
        >
          Retry
        </button>{' '}
        <span className="muted small">Retrying can help.</span>
      </p>
    );
  }
  if (remedy === 'narrow_range' || remedy === 'adjust_parameters') {
    const range = narrowedRange(job.params.date_from, job.params.date_to);
    const params = range ? { ...job.params, date_from: range.from, date_to: range.to } : job.params;
    return (
      <p>
        <Link
          to={newReportHref(eventId, { type: job.type, params, notify: job.notify_emails, narrow: range ? 'narrowed' : 'pick' })}
          className="btn btn-secondary btn-small"
          data-test="orders-export-narrow"
        >
          {remedy === 'narrow_range' ? 'Narrow the date range' : 'Adjust the parameters'}
        </Link>{' '}
        <span className="muted small">Retrying would fail the same way.</span>
      </p>
    );
  }
  return null;
}
