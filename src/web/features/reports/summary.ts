import type { Job, JobParams } from './api/types';
import { humanize } from './schemaForm';

const COMMON = new Set(['format', 'date_from', 'date_to', 'include_bom', 'spreadsheet_times']);

/** Enum-like tokens ("partially_refunded") read as words; anything else (names, searches) stays as typed. */
function token(value: unknown): string {
  const text = String(value);
  return /^[a-z][a-z0-9_.]*$/.test(text) ? humanize(text) : text;
}

function valueText(value: unknown): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (Array.isArray(value)) return value.length > 0 ? value.map(token).join(', ') : null;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return null;
  return token(value);
}

/** "2026-03-01 – 2026-03-31", "from 2026-03-01", "until …", "all dates". */
export function describeDates(params: Partial<JobParams>): string {
  const { date_from: from, date_to: to } = params;
  return from && to ? `${from} – ${to}` : from ? `from ${from}` : to ? `until ${to}` : 'all dates';
}

/** The type-specific filters of a job, e.g. ["RSVP status: Attending, Maybe"]. */
export function describeFilters(params: Partial<JobParams>): string[] {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(params)) {
    if (COMMON.has(key)) continue;
    const text = valueText(value);
    if (text !== null) parts.push(`${humanize(key)}: ${text}`);
  }
  return parts;
}

/** "Guest list summary · CSV · all dates · RSVP status: Attending". */
export function describeJob(job: Job): string {
  const format = String(job.params.format ?? job.format).toUpperCase();
  return [job.type_name || job.type, format, describeDates(job.params), ...describeFilters(job.params)].join(' · ');
}

/** Name and parameters, without the type: for the list's second line. */
export function describeParams(job: Job): string {
  const format = String(job.params.format ?? job.format).toUpperCase();
  return [format, describeDates(job.params), ...describeFilters(job.params)].join(' · ');
}
