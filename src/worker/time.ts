// Dates in an event's IANA time zone. Written on Intl (full ICU in workerd) rather than a date
// library because the CSV writer formats every timestamp cell: the offset is cached per
// quarter hour, so formatting a row costs arithmetic, not an Intl call.

const QUARTER_HOUR = 15 * 60 * 1000;
const DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** "00" … "59": the two digits of an hour, minute or second without a padStart per cell. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => pad(i));

/**
 * How `format` writes an instant: ISO 8601 with its offset (`2026-03-08T14:05:09-05:00`, exact and
 * unambiguous), or the form spreadsheets import as a date (`2026-03-08 14:05:09`, wall time in the
 * zone, which the file names in its header; LibreOffice reads the ISO form as text).
 */
export type TimeStyle = 'iso' | 'spreadsheet';

export class ZonedClock {
  private readonly parts: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();
  private lastBucket = Number.NaN;
  private lastBucketOffset = 0;
  // format(): the local day and offset of the previous call, and the text they give. A report's
  // rows come in time order, so most cells share both and cost only the time of day.
  private formatDay = Number.NaN;
  private formatOffset = Number.NaN;
  private datePrefix = '';
  private offsetText = '';

  constructor(
    readonly timeZone: string,
    readonly style: TimeStyle = 'iso',
  ) {
    this.parts = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  }

  /** Local time minus UTC, in ms, at the instant `ts`. */
  offsetAt(ts: number): number {
    const bucket = Math.floor(ts / QUARTER_HOUR);
    if (bucket === this.lastBucket) return this.lastBucketOffset;
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * QUARTER_HOUR;
      const p: Record<string, number> = {};
      for (const part of this.parts.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      offset = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second) - at;
      if (this.offsets.size > 10_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    this.lastBucket = bucket;
    this.lastBucketOffset = offset;
    return offset;
  }

  /** `2026-03-08T14:05:09-05:00` (or `2026-03-08 14:05:09` in the spreadsheet style): wall time in the zone. */
  format(ts: number): string {
    const offset = this.offsetAt(ts);
    const local = ts + offset;
    const day = Math.floor(local / DAY);
    if (day !== this.formatDay || offset !== this.formatOffset) {
      const d = new Date(day * DAY);
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset) / 60_000;
      const iso = this.style === 'iso';
      this.datePrefix = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}${iso ? 'T' : ' '}`;
      this.offsetText = iso ? `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}` : '';
      this.formatDay = day;
      this.formatOffset = offset;
    }
    const second = Math.floor((local - day * DAY) / 1000);
    return `${this.datePrefix}${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}${this.offsetText}`;
  }

  /**
   * The UTC instant at which the local date `YYYY-MM-DD` begins in this zone: its local midnight,
   * the first one where a fall-back repeats it, or, where a DST change skips midnight (Santiago,
   * Havana), the instant the clocks jump to 01:00.
   */
  startOfDay(date: string): number {
    const [y, m, d] = date.split('-').map(Number);
    const wall = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
    // Midnight at each offset in force around it; those that land on this date are real midnights.
    const offsets = new Set([this.offsetAt(wall - DAY), this.offsetAt(wall), this.offsetAt(wall + DAY)]);
    let first = Number.POSITIVE_INFINITY;
    for (const offset of offsets) {
      const candidate = wall - offset;
      if (candidate < first && this.dateOf(candidate) === date) first = candidate;
    }
    if (first !== Number.POSITIVE_INFINITY) return first;
    // No midnight that day: the first quarter hour whose local date is already this one (the offset
    // changes on a quarter-hour boundary, which is as fine as offsetAt sees it).
    let lo = Math.floor((wall - Math.max(...offsets)) / QUARTER_HOUR) * QUARTER_HOUR;
    let hi = Math.ceil((wall - Math.min(...offsets)) / QUARTER_HOUR) * QUARTER_HOUR;
    while (hi - lo > QUARTER_HOUR) {
      const mid = lo + Math.floor((hi - lo) / 2 / QUARTER_HOUR) * QUARTER_HOUR;
      if (this.dateOf(mid) < date) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** The local calendar date (YYYY-MM-DD) of an instant. */
  dateOf(ts: number): string {
    return this.format(ts).slice(0, 10);
  }
}

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The next calendar date after `YYYY-MM-DD`. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) + 1));
  return next.toISOString().slice(0, 10);
}
