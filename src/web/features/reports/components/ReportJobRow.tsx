import { useId } from 'react';
import { formatBytes, formatDateTime, plural, toIso } from '../../../lib/format';
import { isActive, type Job } from '../api/types';
import { describeJob } from '../summary';
import { JobProgress } from './JobProgress';
import { StatusPill } from './StatusPill';

function Outcome({ job, describedBy }: { job: Job; describedBy: string }) {
  if (isActive(job)) return <JobProgress job={job} label={`Progress: ${describeJob(job)}`} />;

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
            {formatBytes(job.artifact.size_bytes)} · {plural(job.artifact.row_count, 'row', 'rows')}
          </span>
        )}
      </div>
    );
  }

  const note =
    job.status === 'completed'
      ? 'File no longer available'
      : job.status === 'expired'
        ? 'File expired'
        : job.status === 'cancelled'
          ? 'Cancelled'
          : null;
  return note ? <span className="muted small">{note}</span> : null;
}

export function ReportJobRow({ job }: { job: Job }) {
  const typeId = useId();
  return (
    <li className="job-row" data-test="report-job-row" data-job-id={job.job_id} data-status={job.status}>
      <div className="job-status">
        <StatusPill status={job.status} />
      </div>
      <div className="job-main">
        <p className="job-type" id={typeId} data-test="report-job-type">
          {describeJob(job)}
        </p>
        <p className="job-meta">
          <span data-test="report-job-requested-by">{job.requested_by_name ?? 'Unknown user'}</span>
          <span aria-hidden="true"> · </span>
          <span>
            Created{' '}
            <time dateTime={toIso(job.created_at)} data-test="report-job-created-at">
              {formatDateTime(job.created_at)}
            </time>
          </span>
          <span aria-hidden="true"> · </span>
          <span>
            Updated{' '}
            <time dateTime={toIso(job.updated_at)} data-test="report-job-updated-at">
              {formatDateTime(job.updated_at)}
            </time>
          </span>
        </p>
        {job.notify_emails.length > 0 && <p className="job-meta">Email to {job.notify_emails.join(', ')}</p>}
      </div>
      <div className="job-outcome">
        <Outcome job={job} describedBy={typeId} />
      </div>
    </li>
  );
}
