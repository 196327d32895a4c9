// Where a job's file lives in R2 and what it is called when downloaded.

import type { JobRow } from '../db/jobs';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

export function artifactKey(job: Pick<JobRow, 'workspace_id' | 'event_id' | 'id'>, fileName: string): string {
  return `reports/${job.workspace_id}/${job.event_id}/${job.id}/${fileName}`;
}

/** `<event-slug>_<type>_<from>_<to>.<ext>`: the dates the file covers, "all" without a start. */
export function artifactFileName(slug: string, type: string, from: string | undefined, to: string, format: string): string {
  return `${slug}_${type}_${from ?? 'all'}_${to}.${format}`;
}
