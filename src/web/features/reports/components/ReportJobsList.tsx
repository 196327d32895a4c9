import type { Job } from '../api/types';
import { ReportJobRow } from './ReportJobRow';

export function ReportJobsList({ jobs }: { jobs: Job[] }) {
  if (jobs.length === 0) {
    return (
      <div className="empty" data-test="report-jobs-empty">
        <p className="empty-title">No reports yet</p>
        <p className="muted">Generate a report and it will appear here, with its progress and download link.</p>
      </div>
    );
  }
  return (
    <ul className="jobs-list" data-test="report-jobs-list" aria-label="Reports">
      {jobs.map((job) => (
        <ReportJobRow key={job.job_id} job={job} />
      ))}
    </ul>
  );
}
