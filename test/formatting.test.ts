import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell, csvCents } from '../src/worker/output/csv';
import { ZonedClock } from '../src/worker/time';

// The CSV writer's fast paths against the plain computation they replace.

/** An instant as `YYYY-MM-DDTHH:MM:SS±HH:MM` in `zone`, from Intl alone (no caches, no arithmetic tricks). */
const formatters = new Map<string, Intl.DateTimeFormat>();
function independentFormat(zone: string, ts: number): string {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      timeZoneName: 'longOffset',
    });
    formatters.set(zone, formatter);
  }
  const parts = Object.fromEntries(formatter.formatToParts(ts).map((p) => [p.type, p.value]));
  // "GMT-05:00", or plain "GMT" for UTC itself.
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : String(parts.timeZoneName).slice(3);
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Tokyo',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/Havana',
  'Pacific/Chatham',
  'UTC',
];

describe('ZonedClock.format', () => {
  it('writes every instant as Intl does, in rising order (its day cache) and at random', () => {
    for (const zone of ZONES) {
      const clock = new ZonedClock(zone);
      // Every 47 minutes 13 seconds across 2026: both DST changes of every zone that has them.
      for (let ts = Date.UTC(2026, 0, 1); ts < Date.UTC(2027, 0, 1); ts += 2_833_000) {
        const got = clock.format(ts);
        if (got !== independentFormat(zone, ts)) expect(`${zone} ${ts} ${got}`).toBe(independentFormat(zone, ts));
      }
    }
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.array(fc.integer({ min: 0, max: 4_102_444_800_000 }), { maxLength: 20 }),
        (zone, instants) => {
          const clock = new ZonedClock(zone);
          for (const ts of instants) expect(clock.format(ts)).toBe(independentFormat(zone, ts));
        },
      ),
    );
  });
});

describe('csvCents', () => {
  it('prints integer cents exactly as the cell of cents / 100', () => {
    for (let c = -20_000; c <= 20_000; c++) if (csvCents(c) !== csvCell(c / 100)) expect(csvCents(c)).toBe(csvCell(c / 100));
    fc.assert(
      fc.property(fc.integer({ min: -(2 ** 50), max: 2 ** 50 }), (c) => {
        expect(csvCents(c)).toBe(csvCell(c / 100));
      }),
    );
  });
});

describe('ZonedClock.startOfDay', () => {
  /** The first quarter hour whose local date is `date` or later, found by walking Intl's own answers. */
  function independentStartOfDay(zone: string, date: string): number {
    const wall = Date.parse(`${date}T00:00:00Z`);
    for (let t = wall - 15 * 3_600_000; t < wall + 15 * 3_600_000; t += 15 * 60_000) {
      if (independentFormat(zone, t).slice(0, 10) >= date) return t;
    }
    throw new Error(`no start of ${date} in ${zone}`);
  }

  it('begins the day when DST starts at midnight (Santiago, Havana) at the jump, not the day before', () => {
    expect(new Date(new ZonedClock('America/Santiago').startOfDay('2026-09-06')).toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(new Date(new ZonedClock('America/Havana').startOfDay('2026-03-08')).toISOString()).toBe('2026-03-08T05:00:00.000Z');
  });

  it('agrees with Intl in every zone, on the days around every offset change of 2026', () => {
    const year = Array.from({ length: 368 }, (_, i) =>
      new Date(Date.UTC(2025, 11, 31) + i * 86_400_000).toISOString().slice(0, 10),
    );
    const mismatches: string[] = [];
    let checked = 0;
    for (const zone of Intl.supportedValuesOf('timeZone')) {
      const offsetAtNoon = (date: string) => independentFormat(zone, Date.parse(`${date}T12:00:00Z`)).slice(19);
      const dates = new Set<string>();
      for (let i = 1; i < year.length - 1; i++) {
        if (offsetAtNoon(year[i] as string) !== offsetAtNoon(year[i - 1] as string)) {
          for (const d of [year[i - 1], year[i], year[i + 1]]) dates.add(d as string);
        }
      }
      const clock = new ZonedClock(zone);
      for (const date of dates) {
        checked++;
        const got = clock.startOfDay(date);
        const want = independentStartOfDay(zone, date);
        if (got !== want) mismatches.push(`${zone} ${date}: ${new Date(got).toISOString()} vs ${new Date(want).toISOString()}`);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(mismatches).toEqual([]);
  });
});
