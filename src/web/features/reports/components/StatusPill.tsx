import type { JobStatus } from '../api/types';

/** The status as a colored pill; its text is exactly the status. */
export function StatusPill({ status }: { status: JobStatus }) {
  return (
    <span className={`pill pill-${status}`} data-test="report-job-status-pill">
      {status}
    </span>
  );
}
