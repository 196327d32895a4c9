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
