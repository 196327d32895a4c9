/** Formatting in the browser's locale. API timestamps are epoch milliseconds. */

const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });
const numberFormat = new Intl.NumberFormat();

export function toIso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

export function formatDateTime(epochMs: number): string {
  return dateTimeFormat.format(new Date(epochMs));
}

/** The date and the time of day apart, for a compact two-line timestamp. */
export function formatDateAndTime(epochMs: number): { date: string; time: string } {
  const d = new Date(epochMs);
  return { date: dateFormat.format(d), time: timeFormat.format(d) };
}

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

/** A date range in the given IANA time zone (the browser's, if the zone is unknown). */
export function formatDateRange(startMs: number, endMs: number, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone });
  } catch {
    format = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
  }
  return format.formatRange(new Date(startMs), new Date(Math.max(startMs, endMs)));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${formatNumber(bytes)} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${new Intl.NumberFormat(undefined, { maximumFractionDigits: value < 10 ? 1 : 0 }).format(value)} ${units[unit]}`;
}

export function plural(count: number, one: string, many: string): string {
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}

/** A formatter in an IANA time zone (the browser's, if the zone is unknown). */
function zoned(options: Intl.DateTimeFormatOptions, timeZone: string): Intl.DateTimeFormat {
  try {
    return new Intl.DateTimeFormat(undefined, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(undefined, options);
  }
}

/** Date and time in the event's time zone, e.g. "Mar 3, 2026, 14:05". */
export function formatDateTimeIn(epochMs: number, timeZone: string): string {
  return zoned({ dateStyle: 'medium', timeStyle: 'short' }, timeZone).format(new Date(epochMs));
}

/** The date and the time of day apart, in the event's time zone. */
export function formatDateAndTimeIn(epochMs: number, timeZone: string): { date: string; time: string } {
  const d = new Date(epochMs);
  return { date: zoned({ dateStyle: 'medium' }, timeZone).format(d), time: zoned({ timeStyle: 'short' }, timeZone).format(d) };
}
