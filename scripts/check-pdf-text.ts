// `npm run check:pdf`: every hostile name of the demo data, rendered by the Worker's PDF writer and read
// back by poppler's pdftotext, comes out as the characters that went in, in reading order: Arabic and
// Hebrew, emoji (ZWJ sequences too), ✓, quotes, formula-like cells. The Worker tests cannot do this:
// they run inside workerd, which cannot start pdftotext.
//
// pdftotext comes from Debian's poppler-utils; where it is missing and we are root with apt (CI's
// clean machine), it is installed, the way scripts/ensure-chromium.ts installs Chromium.

import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_EVENTS, HOSTILE_GUESTS, HOSTILE_NOTES } from './demo-data';

interface PdfModule {
  renderPdf(report: {
    title: string;
    eventName: string;
    parameters: { label: string; value: string }[];
    generatedAt: number;
    clock: unknown;
    columns: readonly { header: string }[];
    rows: readonly (string | number | null)[][];
  }): Promise<Uint8Array>;
}
interface TimeModule {
  ZonedClock: new (timeZone: string) => unknown;
}

const root = join(import.meta.dirname, '..');
/** The fonts the document must embed: each of the hostile names needs one of them. */
const FAMILIES = ['NotoSans-Regular', 'NotoSans-Bold', 'NotoSansArabic', 'NotoSansHebrew', 'NotoSansSymbols2', 'NotoEmoji'];
const worker = (path: string) => pathToFileURL(join(root, 'src', 'worker', path)).href;

function ensurePdftotext(): void {
  if (spawnSync('pdftotext', ['-v']).error === undefined) return;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    console.log('pdftotext not found: installing Debian’s poppler-utils package…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'poppler-utils'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (spawnSync('pdftotext', ['-v']).error === undefined) return;
  }
  console.error('pdftotext is needed for this check: install it (sudo apt-get install poppler-utils).');
  process.exit(1);
}

/**
 * As a reader gets it: poppler wraps right-to-left runs in bidi embedding marks and drops invisible
 * zero-width spaces (U+200B, U+FEFF: nothing is drawn, so nothing is extracted); whitespace runs are one space.
 */
function normalize(text: string): string {
  return text
    .replace(/[\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

ensurePdftotext();
// The PDF writer imports its fonts as `.bin` modules (ArrayBuffers in workerd).
register('./bin-modules.mjs', import.meta.url);
const { renderPdf } = (await import(worker('output/pdf.ts'))) as PdfModule;
const { ZonedClock } = (await import(worker('time.ts'))) as TimeModule;

const event = DEMO_EVENTS[0];
const sponsor = 'Café Ünïcode ✓';
const rows = HOSTILE_GUESTS.map((guest, i) => [guest.first_name, guest.last_name, guest.company, HOSTILE_NOTES[i] ?? '']);
// One line that no bundled font covers: drawn as "�", it must still copy as itself.
const uncovered = '日本語 ไทย';
rows.push([sponsor, uncovered, 'Quote "x", y', '=1+2']);
const expected = [...rows.flat(), event.name, 'Guest list'];

const dir = mkdtempSync(join(tmpdir(), 'check-pdf-'));
const results: { name: string; ok: boolean; detail?: string }[] = [];
try {
  const bytes = await renderPdf({
    title: 'Guest list',
    eventName: event.name,
    parameters: [{ label: 'Sponsor', value: sponsor }],
    generatedAt: Date.UTC(2026, 8, 1, 12),
    clock: new ZonedClock(event.time_zone),
    columns: [{ header: 'First name' }, { header: 'Last name' }, { header: 'Company' }, { header: 'Note' }],
    rows,
  });
  const pdf = join(dir, 'hostile.pdf');
  writeFileSync(pdf, bytes);
  const text = normalize(execFileSync('pdftotext', ['-enc', 'UTF-8', pdf, '-'], { encoding: 'utf8' }));

  for (const value of expected) {
    const want = normalize(value);
    if (want === '') continue;
    results.push({ name: `pdftotext reads ${JSON.stringify(value)}`, ok: text.includes(want) });
  }
  const questionMarks = (value: string) => value.split('?').length - 1;
  results.push({
    name: 'no "?" stands in for a character',
    ok: questionMarks(text) <= questionMarks(expected.join('')),
  });
  const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
  for (const family of FAMILIES) {
    // pdffonts columns: name type encoding emb sub uni.
    const line = fonts.split('\n').find((l) => l.includes(`+${family}`));
    results.push({
      name: `${family} is embedded as a subset with a ToUnicode map`,
      ok: line !== undefined && /\byes\s+yes\s+yes\b/.test(line),
      detail: line ?? 'not in the document',
    });
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length > 0) console.log(`pdftotext output:\n${text}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail && !r.ok ? ` — ${r.detail}` : ''}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`\n${results.length - failed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
