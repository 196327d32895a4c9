// Dates in an event's IANA time zone. Written on Intl (full ICU in workerd) rather than a date
// library because the CSV writer formats every timestamp cell: the offset is cached per
// quarter hour, so formatting a row costs arithmetic, not an Intl call.

const QUARTER_HOUR = 15 * 60 * 1000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export class ZonedClock {
  private readonly parts: Intl.DateTimeFormat;
  private readonly offsets = new Map<number, number>();

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
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      const at = bucket * QUARTER_HOUR;
      const p: Record<string, number> = {};
      for (const part of this.parts.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      offset = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day, p.hour, p.minute, p.second) - at;
      if (this.offsets.size > 10_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  /** `2026-03-08T14:05:09-05:00`: wall time in the zone, with its offset. */
  format(ts: number): string {
    const offset = this.offsetAt(ts);
    const d = new Date(ts + offset);
    const sign = offset < 0 ? '-' : '+';
    const abs = Math.abs(offset) / 60_000;
    return (
      `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
      `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}` +
      `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
    );
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
