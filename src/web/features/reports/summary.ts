import type { Job } from './api/types';

/** "Guest list summary · CSV · all dates", "… · 2026-03-01 – 2026-03-31", "… · from 2026-03-01". */
export function describeJob(job: Job): string {
  const format = (job.params.format ?? job.format).toUpperCase();
  const { date_from: from, date_to: to } = job.params;
  const dates = from && to ? `${from} – ${to}` : from ? `from ${from}` : to ? `until ${to}` : 'all dates';
  return `${job.type_name || job.type} · ${format} · ${dates}`;
}
