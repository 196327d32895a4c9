// Dates in an event's IANA time zone. Written on Intl (full ICU in workerd) rather than a date
// library because the CSV writer formats every timestamp cell: the offset is cached per
// quarter hour, so formatting a row costs arithmetic, not an Intl call.

const QUARTER_HOUR = 15 * 60 * 1000;
const DAY = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');
/** "00" … "59": the two digits of an hour, minute or second without a padStart per cell. */
const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => pad(i));

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

  constructor(readonly timeZone: string) {
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

  /** `2026-03-08T14:05:09-05:00`: wall time in the zone, with its offset. */
  format(ts: number): string {
    const offset = this.offsetAt(ts);
    const local = ts + offset;
    const day = Math.floor(local / DAY);
    if (day !== this.formatDay || offset !== this.formatOffset) {
      const d = new Date(day * DAY);
      const sign = offset < 0 ? '-' : '+';
      const abs = Math.abs(offset) / 60_000;
      this.datePrefix = `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T`;
      this.offsetText = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
      this.formatDay = day;
      this.formatOffset = offset;
    }
    const second = Math.floor((local - day * DAY) / 1000);
    return `${this.datePrefix}${TWO_DIGITS[Math.floor(second / 3600)]}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}${this.offsetText}`;
  }

  /** The UTC instant at which the local date `YYYY-MM-DD` begins in this zone. */
  startOfDay(date: string): number {
    const [y, m, d] = date.split('-').map(Number);
    const wall = Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1);
    let ts = wall - this.offsetAt(wall);
    // Near a DST change the first guess can sit on the other side of it; one correction settles it.
    ts = wall - this.offsetAt(ts);
    return ts;
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
