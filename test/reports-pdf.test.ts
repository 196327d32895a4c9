import { env } from 'cloudflare:workers';
import { PDFDict, PDFDocument, PDFName, type PDFPage, PDFRawStream } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReportJob } from '../src/worker/jobs/runner';
import { type PdfReport, renderPdf } from '../src/worker/output/pdf';
import { findReportType } from '../src/worker/reports/catalog';
import { ZonedClock } from '../src/worker/time';
import { insertQueuedJob, jobRow, login, seedFixture } from './helpers';
import { generateReport, REPORT_TYPE_KEYS, seedSourceFixture } from './reports-fixture';

// Every report type as a PDF: a document that parses, titled after the report and the event, with
// its parameters, totals (summary types), page numbers on every page and a header row on every
// page of the table. pdf-lib does not extract text, so the page contents are inflated here and
// their text objects decoded through each font's ToUnicode map (scripts/check-pdf-text.ts reads the
// same documents with pdftotext, which workerd cannot run).

const EVENT_NAME = 'Acme Summit';

let organizer: string;
let admin: string;

beforeAll(async () => {
  const guests = await seedFixture(300);
  await seedSourceFixture(guests);
  organizer = await login('organizer');
  admin = await login('admin');
});

/** What each summary's totals panel shows first among its labels, drawn on its own. */
const TOTAL_LABEL: Record<string, string> = {
  ticketing: 'Net revenue (USD)',
  attendance: 'Check-in rate',
  'registration-timeline': 'Busiest day',
  'ticket-block-utilization': 'Tickets allocated',
  'graphical-check-in': 'Busiest 15 minutes',
  'email-deliverability': 'Spam complaints',
  orders: 'Order totals (USD)',
  // A guest list *summary* opens with its band of totals like the others (issue 17).
  'guest-list': 'RSVP attending',
};

/**
 * A table straight from the renderer, with no parameters, generated on 8 March 2026 in `timeZone`:
 * the layout tests vary only the title, the columns and the cells.
 */
function renderTable(
  table: Pick<PdfReport, 'title' | 'eventName' | 'columns' | 'rows'> & { timeZone: string },
): Promise<Uint8Array> {
  const { timeZone, ...rest } = table;
  return renderPdf({ ...rest, parameters: [], generatedAt: Date.UTC(2026, 2, 8), clock: new ZonedClock(timeZone) });
}

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new TextDecoder('latin1').decode(await new Response(stream).arrayBuffer());
}

/** The decoded content streams of a page. */
async function pageContent(doc: PDFDocument, page: PDFPage): Promise<string> {
  const contents = page.node.Contents();
  const refs = contents && 'asArray' in contents ? contents.asArray() : [];
  let text = '';
  for (const ref of refs) {
    const stream = doc.context.lookup(ref);
    if (stream instanceof PDFRawStream) text += `${await inflate(stream.contents)}\n`;
  }
  return text;
}

/** A font's ToUnicode map: code (four hex digits) to text. */
async function toUnicode(doc: PDFDocument, font: PDFDict): Promise<Map<string, string>> {
  const map = new Map<string, string>();
  const stream = doc.context.lookup(font.get(PDFName.of('ToUnicode')));
  if (!(stream instanceof PDFRawStream)) return map;
  for (const [, code, utf16] of (await inflate(stream.contents)).matchAll(/<([0-9A-F]{4})> <([0-9A-F]+)>/g)) {
    const units = (utf16 ?? '').match(/.{4}/g) ?? [];
    map.set(code ?? '', String.fromCharCode(...units.map((u) => Number.parseInt(u, 16))));
  }
  return map;
}

/**
 * Per page, the text of each text object (BT … ET) in drawing order. Glyphs are drawn in visual
 * order, so right-to-left text reads back reversed here (pdftotext puts it back in reading order).
 */
async function pageTexts(doc: PDFDocument): Promise<string[][]> {
  const pages: string[][] = [];
  for (const page of doc.getPages()) {
    const fonts = page.node.Resources()?.lookupMaybe(PDFName.of('Font'), PDFDict);
    const maps = new Map<string, Map<string, string>>();
    for (const [name, ref] of fonts?.entries() ?? []) {
      const font = doc.context.lookup(ref);
      if (font instanceof PDFDict) maps.set(name.asString(), await toUnicode(doc, font));
    }
    const texts: string[] = [];
    for (const [, body] of (await pageContent(doc, page)).matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
      let map: Map<string, string> | undefined;
      let text = '';
      for (const [, font, hex] of (body ?? '').matchAll(/(\/F\d+) [\d.]+ Tf|<([0-9A-F]*)>/g)) {
        if (font) map = maps.get(font);
        // A code without text is a mark that shaping split from its letter (the dots of ب).
        else for (const code of (hex ?? '').match(/.{4}/g) ?? []) text += map?.get(code) ?? '';
      }
      texts.push(text);
    }
    pages.push(texts);
  }
  return pages;
}

/** The PostScript names of the fonts embedded in the document (subset tag dropped). */
function pdfFontNames(doc: PDFDocument): string[] {
  const names: string[] = [];
  doc.context.enumerateIndirectObjects().forEach(([, object]) => {
    if (object instanceof PDFDict && object.get(PDFName.of('Subtype'))?.toString() === '/Type0') {
      names.push(String(object.get(PDFName.of('BaseFont'))).replace(/^\/[A-Z]{6}\+/, ''));
    }
  });
  return names;
}

const reversed = (text: string) => [...text].reverse().join('');

describe.each(REPORT_TYPE_KEYS)('%s as PDF', (key) => {
  it('is a real PDF titled after the report and the event, with page numbers', async () => {
    const type = findReportType(key);
    expect(type).toBeDefined();
    const report = await generateReport(key === 'audit-log' ? admin : organizer, key, { format: 'pdf' });
    expect(report.content_type).toBe('application/pdf');
    expect(report.file_name).toMatch(new RegExp(`^acme-summit_${key}_all_\\d{4}-\\d{2}-\\d{2}\\.pdf$`));
    expect(new TextDecoder().decode(report.bytes.subarray(0, 5))).toBe('%PDF-');
    const doc = await PDFDocument.load(report.bytes);
    expect(doc.getTitle()).toBe(`${type?.name} — ${EVENT_NAME}`);
    expect(doc.getPageCount()).toBeGreaterThan(0);
    const pages = await pageTexts(doc);
    const first = pages[0] ?? [];
    expect(first).toContain(type?.name);
    expect(first).toContain(EVENT_NAME);
    expect(first.join('\n')).toContain(`${type?.dateField}: all dates`);
    expect(first.join('\n')).toContain('Generated: 20');
    pages.forEach((texts, i) => {
      expect(texts).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    expect(report.row_count).toBeGreaterThan(0);
    // The table's first column header on every page that holds table rows (its lines, if it wraps, are consecutive).
    const header = type?.columns[0]?.header ?? '';
    expect(pages.filter((p) => p.join(' ').includes(header)).length).toBeGreaterThanOrEqual(pages.length - 1);
    const total = TOTAL_LABEL[key];
    expect(Boolean(type?.totals)).toBe(total !== undefined);
    if (total) expect(first).toContain(total);
  });
});

describe('PDF layout', () => {
  it('sets an address smaller rather than cut it; other text is cut with an ellipsis', async () => {
    const email = 'providenci.turner-longname@enterprise-example.com';
    const bytes = await renderTable({
      title: 'Leads',
      eventName: 'Expo',
      timeZone: 'UTC',
      columns: [
        { header: 'Email', width: 20, noCut: true },
        { header: 'Note', width: 20 },
        { header: 'Rest', width: 60 },
      ],
      rows: [[email, email, '']],
    });
    const texts = (await pageTexts(await PDFDocument.load(bytes)))[0] ?? [];
    expect(texts).toContain(email);
    expect(texts.filter((t) => t.endsWith('…') && email.startsWith(t.slice(0, -1)))).toHaveLength(1);
  });

  it('paginates a long table with its header row on every page', async () => {
    const report = await generateReport(organizer, 'guest-list', { format: 'pdf', date_to: '2026-12-31' });
    const doc = await PDFDocument.load(report.bytes);
    expect(report.row_count).toBe(300);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(8);
    const pages = await pageTexts(doc);
    for (const texts of pages) expect(texts).toContain('Last name');
    expect(pages[0]?.join('\n')).toContain('Registration date: the beginning – 2026-12-31');
  });

  it('opens a summary with its totals and draws the check-in curve', async () => {
    const ticketing = await pageTexts(
      await PDFDocument.load((await generateReport(organizer, 'ticketing', { format: 'pdf' })).bytes),
    );
    expect(ticketing[0]).toContain('Tickets refunded');
    expect(ticketing[0]).toContain('Net revenue (USD)');
    expect(ticketing[0]).toContain('Net revenue (EUR)');

    const checkInDoc = await PDFDocument.load((await generateReport(organizer, 'graphical-check-in', { format: 'pdf' })).bytes);
    expect((await pageTexts(checkInDoc))[0]).toContain('Check-ins per 15 minutes');
    // One filled bar per non-empty quarter hour, in the bar colour, and the running-total line.
    const [firstPage] = checkInDoc.getPages();
    const content = firstPage ? await pageContent(checkInDoc, firstPage) : '';
    const bars = content.match(/0\.27 0\.47 0\.76 rg [\d.]+ [\d.]+ [\d.]+ [\d.]+ re f/g) ?? [];
    expect(bars.length).toBeGreaterThanOrEqual(9);
    expect(content).toMatch(/1\.2 w 0\.85 0\.42 0\.1 RG [\d. ml]+ S/);
  });

  it('names the filters and the people-facing values of ids in the parameters', async () => {
    const report = await generateReport(organizer, 'orders', { format: 'pdf', status: 'paid', ticket_type: 'ttb' });
    const meta = (await pageTexts(await PDFDocument.load(report.bytes)))[0]?.join('\n');
    expect(meta).toContain('Status: paid');
    expect(meta).toContain('Ticket type: VIP');
  });

  it('prints every name in a font that has it: Arabic, Hebrew, emoji and ✓ are embedded, nothing becomes "?"', async () => {
    const bytes = await renderTable({
      title: 'Hostile 🎉',
      eventName: 'مرحبا Gala',
      timeZone: 'America/New_York',
      columns: [{ header: 'Name' }, { header: 'Note' }],
      rows: [
        ['👩‍💻 Dev', 'שלום עולם'],
        ['Café ✓', '=1+2\nnext line'],
        // ت is drawn with the dotless glyph ب drew above, plus its own dots: it must still copy as ت.
        ['تجريبيا', '👍🏽 🇫🇷'],
      ],
    });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe('Hostile 🎉 — مرحبا Gala');
    const [texts = []] = await pageTexts(doc);
    expect(texts).toContain('Hostile 🎉');
    expect(texts).toContain('👩‍💻 Dev');
    expect(texts).toContain('Café ✓');
    expect(texts).toContain('=1+2 next line');
    expect(texts).toContain('👍🏽 🇫🇷');
    // Right-to-left words are drawn right to left, in their reading order on the page.
    expect(texts).toContain(`${reversed('مرحبا')} Gala`);
    expect(texts).toContain(reversed('שלום עולם'));
    expect(texts).toContain(reversed('تجريبيا'));
    expect(texts.join('')).not.toMatch(/[?\u{fffd}]/u);
    const fonts = pdfFontNames(doc);
    for (const family of [
      'NotoSans-Regular',
      'NotoSans-Bold',
      'NotoSansArabic-Regular',
      'NotoSansHebrew-Regular',
      'NotoSansSymbols2-Regular',
      'NotoEmoji-Regular',
    ]) {
      expect(fonts).toContain(family);
    }
  });

  it('draws a character no font has as a visible "�" that still copies as itself', async () => {
    const bytes = await renderTable({
      title: 'Guests',
      eventName: 'Tokyo',
      timeZone: 'Asia/Tokyo',
      columns: [{ header: 'Name' }],
      rows: [['日本 Name']],
    });
    // Drawn with U+FFFD's glyph (seen in a rendering), mapped to what was written.
    expect((await pageTexts(await PDFDocument.load(bytes)))[0]).toContain('日本 Name');
  });

  it('measures with the embedded font: a cell is cut with "…" only when its glyphs do not fit', async () => {
    const bytes = await renderTable({
      title: 'Widths',
      eventName: 'Acme',
      timeZone: 'UTC',
      columns: [
        { header: 'A', width: 1 },
        { header: 'B', width: 1 },
      ],
      // 60 characters each: narrow ones fit half a page at 7.5 pt, wide ones do not.
      rows: [
        ['i'.repeat(60), 'W'.repeat(60)],
        ['مرحبا '.repeat(10).trim(), 'x'],
      ],
    });
    const [texts = []] = await pageTexts(await PDFDocument.load(bytes));
    expect(texts).toContain('i'.repeat(60));
    const cut = texts.find((t) => t.startsWith('WWW'));
    expect(cut).toMatch(/^W{20,59}…$/);
    expect(texts).toContain(reversed('مرحبا '.repeat(10).trim()));
  });

  it('renders the same bytes for the same input, so a resumed upload matches', async () => {
    const input = {
      title: 'Orders',
      eventName: 'Acme',
      parameters: [{ label: 'Order date', value: 'all dates' }],
      generatedAt: Date.UTC(2026, 10, 1),
      clock: new ZonedClock('Europe/Berlin'),
      columns: [{ header: 'A' }, { header: 'B' }],
      rows: Array.from({ length: 500 }, (_, i) => [`row ${i}`, i]),
    };
    expect(await renderPdf(input)).toEqual(await renderPdf(input));
  });
});

describe('the PDF row ceiling', () => {
  it('fails a PDF above the ceiling with a reason that suggests CSV or a narrower range', async () => {
    const job = await insertQueuedJob({ format: 'pdf', params: JSON.stringify({ format: 'pdf', include_bom: true }) });
    expect(await runReportJob(env, job.id, { pdfMaxRows: 50 })).toBe('failed');
    const row = await jobRow(job.id);
    expect(row?.failure_code).toBe('dataset_too_large');
    expect(row?.failure_reason).toBe('Too many rows for a PDF (more than 50). Generate a CSV instead, or narrow the date range.');
    const artifacts = await env.DB.prepare('SELECT COUNT(*) AS n FROM event_report_job_artifacts WHERE job_id = ?')
      .bind(job.id)
      .first<number>('n');
    expect(artifacts).toBe(0);
  });

  it('completes at exactly the ceiling', async () => {
    const job = await insertQueuedJob({ format: 'pdf', params: JSON.stringify({ format: 'pdf', include_bom: true }) });
    expect(await runReportJob(env, job.id, { pdfMaxRows: 300, chunkRows: 64 })).toBe('completed');
    expect((await jobRow(job.id))?.rows_done).toBe(300);
  });
});
