import type { Job } from '../api/types';
import { describeJob } from '../summary';

/**
 * After signing in from an emailed download link the file downloads in the background and the
 * page lands here (?download=started&highlight=<job>): say so, and which report it is.
 */
export function DownloadStartedNotice({ job }: { job: Job | undefined }) {
  return (
    <p className="notice notice-success" role="status" data-test="report-download-started">
      Your download has started{job ? ` (${describeJob(job)})` : ''}. The file is in your browser’s downloads; the report is
      highlighted below.
    </p>
  );
}
