import { errorMessage } from '../../api/client';
import type { Job } from '../../api/types';
import { Link } from '../../app/router';
import { formatNumber, plural } from '../../lib/format';
import { type OrderFilters, useExportJob, useExportOrders } from './api/orders';

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
  const result = exporter.data;
  // Followed until it ends (polled while queued or running).
  const job = useExportJob(eventId, result?.mode === 'job' ? result.job : null);

  const state: ExportState = exporter.isPending
    ? { kind: 'requesting' }
    : exporter.isError
      ? { kind: 'error', message: errorMessage(exporter.error) }
      : job.isError
        ? { kind: 'error', message: errorMessage(job.error) }
        : result?.mode === 'sync'
          ? { kind: 'sync', rows: result.rows, url: result.download_url }
          : result?.mode === 'job'
            ? { kind: 'job', rows: result.rows, job: job.data ?? result.job }
            : { kind: 'idle' };
  const active = state.kind === 'job' && (state.job.status === 'queued' || state.job.status === 'running');

  const start = () =>
    exporter.mutate(currentFilters(), {
      onSuccess: (answer) => {
        if (answer.mode === 'sync') startDownload(answer.download_url);
      },
    });

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
      <ExportStatus state={state} reportsHref={reportsHref} onRetry={start} />
    </div>
  );
}

function ExportStatus({ state, reportsHref, onRetry }: { state: ExportState; reportsHref: string; onRetry: () => void }) {
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
        ? ' Waiting for a runner.'
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
            : job.status === 'queued' || job.status === 'running'
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
      {job.status === 'failed' && (
        <p>
          <button type="button" className="btn btn-secondary btn-small" data-test="orders-export-retry" onClick={onRetry}>
            Try again
          </button>
        </p>
      )}
      <p className="muted small">
        It is also in the <Link to={reportsHref}>report center</Link>; you can leave this page.
      </p>
    </div>
  );
}
