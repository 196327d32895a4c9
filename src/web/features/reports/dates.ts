/** Calendar dates as "YYYY-MM-DD" strings (the event's local dates); arithmetic in UTC. */

export interface DateRange {
  from: string;
  to: string;
}

function parse(date: string): Date {
  return new Date(`${date}T00:00:00Z`);
}

function format(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = parse(value);
  return !Number.isNaN(d.getTime()) && format(d) === value;
}

export function addDays(date: string, days: number): string {
  const d = parse(date);
  d.setUTCDate(d.getUTCDate() + days);
  return format(d);
}

/** Inclusive number of days from `from` to `to`. */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / 86_400_000) + 1;
}

export function startOfMonth(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

export function endOfMonth(date: string): string {
  const d = parse(startOfMonth(date));
  d.setUTCMonth(d.getUTCMonth() + 1);
  d.setUTCDate(0);
  return format(d);
}

const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** "Mar 2026". */
export function monthLabel(date: string): string {
  return monthFormat.format(parse(date));
}

/**
 * A narrower range than the one given, for a report that came out too large: the first calendar
 * month of a range that spans several months, else the first half of the range. An open-ended
 * range is closed at its month. Null when there is nothing to narrow (no range, or a single day).
 */
export function narrowedRange(from: string | undefined, to: string | undefined): DateRange | null {
  const validFrom = from && isIsoDate(from) ? from : undefined;
  const validTo = to && isIsoDate(to) ? to : undefined;
  if (validFrom && validTo) {
    if (validFrom > validTo) return null;
    if (startOfMonth(validFrom) !== startOfMonth(validTo)) return { from: validFrom, to: endOfMonth(validFrom) };
    const days = daysBetween(validFrom, validTo);
    if (days <= 1) return null;
    return { from: validFrom, to: addDays(validFrom, Math.ceil(days / 2) - 1) };
  }
  if (validFrom) return { from: validFrom, to: endOfMonth(validFrom) };
  if (validTo) return { from: startOfMonth(validTo), to: validTo };
  return null;
}

/** One range per calendar month touched by `from`–`to`, clipped to it (inclusive). */
export function monthlyRanges(from: string, to: string): DateRange[] {
  if (!isIsoDate(from) || !isIsoDate(to) || from > to) return [];
  const ranges: DateRange[] = [];
  let start = from;
  while (start <= to && ranges.length < 1200) {
    const monthEnd = endOfMonth(start);
    const end = monthEnd < to ? monthEnd : to;
    ranges.push({ from: start, to: end });
    start = addDays(monthEnd, 1);
  }
  return ranges;
}
