import { formatNumber } from '../../../lib/format';
import type { Job, JobPhase } from '../api/types';

const PHASE_LABELS: Record<JobPhase, string> = {
  querying: 'Reading data',
  writing: 'Writing file',
  uploading: 'Uploading file',
  finalizing: 'Finishing up',
};

function percentOf(job: Job): number | null {
  if (job.rows_expected === null) return null;
  if (job.rows_expected <= 0) return job.status === 'running' && job.phase === 'finalizing' ? 100 : 0;
  return Math.max(0, Math.min(100, Math.round((job.rows_done / job.rows_expected) * 100)));
}

function progressText(job: Job, percent: number | null): string {
  if (job.status === 'queued') return 'Waiting to start';
  const phase = job.phase ? PHASE_LABELS[job.phase] : 'Starting';
  if (job.rows_expected === null) {
    return job.rows_done > 0 ? `${phase} · ${formatNumber(job.rows_done)} rows` : phase;
  }
  return `${phase} · ${formatNumber(job.rows_done)} of ${formatNumber(job.rows_expected)} rows (${percent ?? 0}%)`;
}

/** Progress of a queued or running job; indeterminate while the row count is unknown. */
export function JobProgress({ job, label }: { job: Job; label: string }) {
  const percent = percentOf(job);
  const text = progressText(job, percent);
  return (
    <div className="progress-wrap">
      <div
        className={percent === null ? 'progress progress-indeterminate' : 'progress'}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
        data-test="report-job-progress"
      >
        <div className="progress-bar" style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <span className="progress-text">{text}</span>
    </div>
  );
}
