import { env } from 'cloudflare:workers';
import { PDFDocument, PDFRawStream } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { runReportJob } from '../src/worker/jobs/runner';
import { renderPdf } from '../src/worker/output/pdf';
import { findReportType } from '../src/worker/reports/catalog';
import { ZonedClock } from '../src/worker/time';
import { insertQueuedJob, jobRow, login, seedFixture } from './helpers';
import { generateReport, REPORT_TYPE_KEYS, seedSourceFixture } from './reports-fixture';

// Every report type as a PDF: a document that parses, titled after the report and the event, with
// its parameters, totals (summary types), page numbers on every page and a header row on every
// page of the table. pdf-lib does not extract text, so the page contents are inflated here and
// searched for the hex strings the writer draws text with.

const EVENT_NAME = 'Acme Summit';

let organizer: string;
let admin: string;

beforeAll(async () => {
  const guests = await seedFixture(300);
  await seedSourceFixture(guests);
  organizer = await login('organizer');
  admin = await login('admin');
});

/** Text in the writer's encoding: WinAnsi bytes as hex (Latin-1 here, so one byte per character). */
function hex(text: string): string {
  return [...text].map((c) => (c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** A text drawn on its own, as one hex string operand. */
const drawn = (text: string) => `<${hex(text)}>`;

/** What each summary's totals panel shows first among its labels, drawn on its own. */
const TOTAL_LABEL: Record<string, string> = {
  ticketing: 'Net revenue (USD)',
  attendance: 'Check-in rate',
  'registration-timeline': 'Busiest day',
  'ticket-block-utilization': 'Tickets allocated',
  'graphical-check-in': 'Busiest 15 minutes',
  'email-deliverability': 'Spam complaints',
  orders: 'Order totals (USD)',
};

async function inflate(bytes: Uint8Array): Promise<string> {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate'));
  return new TextDecoder('latin1').decode(await new Response(stream).arrayBuffer());
}

/** The decoded content streams of each page, in page order. */
async function pageContents(doc: PDFDocument): Promise<string[]> {
  const pages: string[] = [];
  for (const page of doc.getPages()) {
    const contents = page.node.Contents();
    const refs = contents && 'asArray' in contents ? contents.asArray() : [];
    let text = '';
    for (const ref of refs) {
      const stream = doc.context.lookup(ref);
      if (stream instanceof PDFRawStream) text += `${await inflate(stream.contents)}\n`;
    }
    pages.push(text);
  }
  return pages;
}

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
    const pages = await pageContents(doc);
    expect(pages[0]).toContain(drawn(type?.name ?? ''));
    expect(pages[0]).toContain(drawn(EVENT_NAME));
    expect(pages[0]).toContain(hex(`${type?.dateField}: all dates`));
    expect(pages[0]).toContain(hex('Generated: 20'));
    pages.forEach((content, i) => {
      expect(content).toContain(drawn(`Page ${i + 1} of ${pages.length}`));
    });
    expect(report.row_count).toBeGreaterThan(0);
    // The table's first column header on every page that holds table rows.
    const header = drawn(type?.columns[0] ?? '');
    expect(pages.filter((p) => p.includes(header)).length).toBeGreaterThanOrEqual(pages.length - 1);
    const total = TOTAL_LABEL[key];
    expect(Boolean(type?.totals)).toBe(total !== undefined);
    if (total) expect(pages[0]).toContain(drawn(total));
  });
});

describe('PDF layout', () => {
  it('paginates a long table with its header row on every page', async () => {
    const report = await generateReport(organizer, 'guest-list', { format: 'pdf', date_to: '2026-12-31' });
    const doc = await PDFDocument.load(report.bytes);
    expect(report.row_count).toBe(300);
    expect(doc.getPageCount()).toBeGreaterThanOrEqual(8);
    const pages = await pageContents(doc);
    for (const content of pages) expect(content).toContain(drawn('Last name'));
    // "–" is byte 0x96 in WinAnsi.
    expect(pages[0]).toContain(hex('Registration date: the beginning \u0096 2026-12-31'));
  });

  it('opens a summary with its totals and draws the check-in curve', async () => {
    const ticketing = await pageContents(
      await PDFDocument.load((await generateReport(organizer, 'ticketing', { format: 'pdf' })).bytes),
    );
    expect(ticketing[0]).toContain(drawn('Tickets refunded'));
    expect(ticketing[0]).toContain(drawn('Net revenue (USD)'));
    expect(ticketing[0]).toContain(drawn('Net revenue (EUR)'));

    const checkIn = await pageContents(
      await PDFDocument.load((await generateReport(organizer, 'graphical-check-in', { format: 'pdf' })).bytes),
    );
    expect(checkIn[0]).toContain(drawn('Check-ins per 15 minutes'));
    // One filled bar per non-empty quarter hour, in the bar colour, and the running-total line.
    const bars = checkIn[0]?.match(/0\.27 0\.47 0\.76 rg [\d.]+ [\d.]+ [\d.]+ [\d.]+ re f/g) ?? [];
    expect(bars.length).toBeGreaterThanOrEqual(9);
    expect(checkIn[0]).toMatch(/1\.2 w 0\.85 0\.42 0\.1 RG [\d. ml]+ S/);
  });

  it('names the filters and the people-facing values of ids in the parameters', async () => {
    const report = await generateReport(organizer, 'orders', { format: 'pdf', status: 'paid', ticket_type: 'ttb' });
    const pages = await pageContents(await PDFDocument.load(report.bytes));
    expect(pages[0]).toContain(hex('Status: paid'));
    expect(pages[0]).toContain(hex('Ticket type: VIP'));
  });

  it('draws text the standard font cannot encode as a visible "?" instead of failing', async () => {
    const bytes = await renderPdf({
      title: 'Hostile 🎉',
      eventName: 'مرحبا Gala',
      parameters: [],
      generatedAt: Date.UTC(2026, 2, 8),
      clock: new ZonedClock('America/New_York'),
      columns: ['Name', 'Note'],
      rows: [
        ['👩‍💻 Dev', 'שלום עולם'],
        ['Café ✓', '=1+2\nnext line'],
      ],
    });
    const doc = await PDFDocument.load(bytes);
    expect(doc.getTitle()).toBe('Hostile 🎉 — مرحبا Gala');
    const [content] = await pageContents(doc);
    expect(content).toContain(drawn('Hostile ?'));
    expect(content).toContain(drawn('? Dev')); // the whole joined emoji is one "?"
    expect(content).toContain(drawn('Caf\u00e9 ?'));
    expect(content).toContain(drawn('=1+2 next line'));
    expect(content).toContain(drawn('???? ????'));
  });

  it('renders the same bytes for the same input, so a resumed upload matches', async () => {
    const input = {
      title: 'Orders',
      eventName: 'Acme',
      parameters: [{ label: 'Order date', value: 'all dates' }],
      generatedAt: Date.UTC(2026, 10, 1),
      clock: new ZonedClock('Europe/Berlin'),
      columns: ['A', 'B'],
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
