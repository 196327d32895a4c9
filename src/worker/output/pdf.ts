// Report PDFs: title, event, parameters, generation time, totals, an optional chart, then a table
// that paginates with its header row on every page, and "Page N of M" in every footer.
//
// pdf-lib gives us the document structure and the file; the page contents are written as raw
// content-stream operators, one compressed stream per page, because pdf-lib's drawText keeps
// several objects per call alive until save(): 20,000 rows x 10 cells would not fit in a Worker's
// 128 MB. Text is shaped, measured and embedded by pdf-text.ts (Noto subsets: Arabic, Hebrew,
// emoji and ✓ print as themselves). The output is deterministic (fixed font names and codes,
// dates from the job), so a resumed upload regenerates the same bytes.
//
// The runner imports this module with import() when a job asks for a PDF: nothing else loads it,
// pdf-lib, fontkit or the fonts.

import { PDFDocument, type PDFPage } from 'pdf-lib';
import type { ColumnKind, ColumnLayout, TimeChart, TotalLine } from '../reports/types';
import type { ZonedClock } from '../time';
import type { Cell } from './csv';
import { BAR, Canvas, GREY, HEADER_BG, LIGHT, LINE, RULE } from './pdf-canvas';
import { PdfFonts } from './pdf-fonts';
import type { Face, ShapedText } from './pdf-text';

export interface PdfReport {
  /** The report type's name; also the document's Title metadata, with the event. */
  title: string;
  eventName: string;
  parameters: { label: string; value: string }[];
  /** When the report was generated, as an instant; shown in the event's zone. */
  generatedAt: number;
  clock: ZonedClock;
  /** Headers, kinds and relative widths (a report type's columns). */
  columns: readonly ColumnLayout[];
  rows: readonly Cell[][];
  totals?: readonly TotalLine[];
  chart?: TimeChart | null;
}

// US Letter, landscape: room for ten columns.
const PAGE_W = 792;
const PAGE_H = 612;
const MARGIN = 36;
const TABLE_W = PAGE_W - 2 * MARGIN;
const FOOTER_Y = 20;
const BODY_BOTTOM = 40;
const ROW_H = 13;
const HEADER_H = 16;
const LINE_H = 9;
const CELL_PAD = 3;
const TABLE_SIZE = 7.5;

/** Cell text as a person reads it in a PDF: 1,234.50 for money, 81.3% for a share. */
function display(value: Cell, kind: ColumnKind): string {
  if (value === null) return '';
  if (typeof value === 'string') {
    // 2026-03-08T03:30:00-04:00 -> 2026-03-08 03:30 -04:00: the offset stays (it tells the two
    // 01:30s of a DST night apart), the seconds go.
    if (kind === 'datetime' && ISO_TIME.test(value)) return `${value.slice(0, 10)} ${value.slice(11, 16)} ${value.slice(19)}`;
    return value;
  }
  if (kind === 'money') return value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  if (kind === 'percent') return `${value.toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
  return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const isNumeric = (kind: ColumnKind) => kind === 'integer' || kind === 'money' || kind === 'percent';

export async function renderPdf(report: PdfReport): Promise<Uint8Array> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const fonts = await PdfFonts.create();
  const { regular, bold } = fonts;

  const generated = new Date(report.generatedAt);
  doc.setTitle(`${report.title} — ${report.eventName}`);
  doc.setSubject(`${report.title} report for ${report.eventName}`);
  doc.setAuthor('Voyage Reports');
  doc.setCreator('Voyage Reports');
  doc.setProducer('Voyage Reports (pdf-lib)');
  doc.setCreationDate(generated);
  doc.setModificationDate(generated);

  const pages: PDFPage[] = [];
  let canvas = new Canvas();
  const newPage = () => {
    pages.push(doc.addPage([PAGE_W, PAGE_H]));
    canvas = new Canvas();
  };
  // A finished page's body is compressed at once, so only one page's operators are ever in memory.
  const closePage = () => {
    const page = pages[pages.length - 1];
    if (page) page.node.addContentStream(doc.context.register(doc.context.flateStream(canvas.ops.join('\n'))));
  };

  newPage();
  let y = PAGE_H - MARGIN - 14;
  canvas.text(18, MARGIN, y, bold.fit(report.title, 18, TABLE_W));
  y -= 20;
  canvas.text(12, MARGIN, y, regular.fit(report.eventName, 12, TABLE_W));
  y -= 18;
  const meta = [
    ...report.parameters.map((p) => `${p.label}: ${p.value}`),
    `Generated: ${report.clock.format(report.generatedAt)} (${report.clock.timeZone})`,
    `Rows: ${report.rows.length.toLocaleString('en-US')}`,
  ];
  for (const line of wrap(regular, meta, 9, TABLE_W)) {
    canvas.text(9, MARGIN, y, line, GREY);
    y -= 12;
  }
  y -= 6;

  if (report.totals && report.totals.length > 0) y = drawTotals(canvas, regular, bold, report.totals, y);
  if (report.chart) y = drawChart(canvas, regular, bold, report.chart, report.clock, y);

  const kinds = report.columns.map((c) => c.kind ?? 'text');
  const widths = columnWidths(report, kinds, regular, bold);
  // Column titles wrap onto a second line rather than being cut ("Tickets refunded").
  const titles = report.columns.map((c, i) => wrapWords(bold, c.header, TABLE_SIZE, (widths[i] ?? 0) - 2 * CELL_PAD, 2));
  const headerH = HEADER_H + (Math.max(1, ...titles.map((t) => t.length)) - 1) * LINE_H;
  const header = (top: number) => {
    canvas.rect(MARGIN, top - headerH, TABLE_W, headerH, HEADER_BG);
    let x = MARGIN;
    titles.forEach((lines, i) => {
      const w = widths[i] ?? 0;
      // Bottom-aligned, so one-line titles sit on the same baseline as the last line of two-line ones.
      lines.forEach((line, l) => {
        const tx = isNumeric(kinds[i] ?? 'text') ? x + w - CELL_PAD - bold.width(line, TABLE_SIZE) : x + CELL_PAD;
        canvas.text(TABLE_SIZE, tx, top - headerH + 5 + (lines.length - 1 - l) * LINE_H, line);
      });
      x += w;
    });
    return top - headerH;
  };

  if (report.rows.length === 0) {
    canvas.text(11, MARGIN, y - 14, regular.shape('No rows match these parameters.'), GREY);
  } else {
    if (y - headerH - 3 * ROW_H < BODY_BOTTOM) {
      closePage();
      newPage();
      y = PAGE_H - MARGIN;
    }
    y = header(y);
    report.rows.forEach((row, r) => {
      if (y - ROW_H < BODY_BOTTOM) {
        canvas.line(
          [
            [MARGIN, y],
            [MARGIN + TABLE_W, y],
          ],
          RULE,
        );
        closePage();
        newPage();
        y = header(PAGE_H - MARGIN);
      }
      if (r % 2 === 1) canvas.rect(MARGIN, y - ROW_H, TABLE_W, ROW_H, LIGHT);
      let x = MARGIN;
      for (let i = 0; i < report.columns.length; i++) {
        const w = widths[i] ?? 0;
        const kind = kinds[i] ?? 'text';
        const text = display(row[i] ?? null, kind);
        // An address is useless cut short: it is set smaller until it fits (down to 4.5 pt).
        const wide = report.columns[i]?.noCut ? regular.width(regular.shape(text), TABLE_SIZE) : 0;
        // 1% to spare: the fit below measures the same glyphs, and a rounding must not cut them.
        const size = wide > w - 2 * CELL_PAD ? Math.max(4.5, (0.99 * TABLE_SIZE * (w - 2 * CELL_PAD)) / wide) : TABLE_SIZE;
        const cell = regular.fit(text, size, w - 2 * CELL_PAD);
        const tx = isNumeric(kind) ? x + w - CELL_PAD - regular.width(cell, size) : x + CELL_PAD;
        canvas.text(size, tx, y - ROW_H + 4, cell);
        x += w;
      }
      y -= ROW_H;
    });
    canvas.line(
      [
        [MARGIN, y],
        [MARGIN + TABLE_W, y],
      ],
      RULE,
    );
  }
  closePage();

  // Footers need the page count, so they are a second, small content stream on every page.
  const footerLeft = regular.fit(`${report.title} · ${report.eventName} · Voyage Reports`, 7, TABLE_W - 120);
  pages.forEach((page, i) => {
    const footer = new Canvas();
    footer.text(7, MARGIN, FOOTER_Y, footerLeft, GREY);
    const label = regular.shape(`Page ${i + 1} of ${pages.length}`);
    footer.text(7, PAGE_W - MARGIN - regular.width(label, 7), FOOTER_Y, label, GREY);
    page.node.addContentStream(doc.context.register(doc.context.flateStream(footer.ops.join('\n'))));
  });

  fonts.write(doc);
  return doc.save();
}

/** Words flowed into at most `maxLines` lines of `width`; the last line is cut with "…" if need be. */
function wrapWords(font: Face, text: string, size: number, width: number, maxLines: number): ShapedText[] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const [i, word] of words.entries()) {
    const candidate = current ? `${current} ${word}` : word;
    if (!current || font.width(font.shape(candidate), size) <= width) {
      current = candidate;
      continue;
    }
    if (lines.length === maxLines - 1) {
      current = [current, ...words.slice(i)].join(' ');
      break;
    }
    lines.push(current);
    current = word;
  }
  lines.push(current);
  return lines.map((line) => font.fit(line, size, width));
}

const SEPARATOR = '   ·   ';

/** The metadata items, joined by a separator into lines that fit the width. */
function wrap(font: Face, items: readonly string[], size: number, width: number): ShapedText[] {
  const lines: ShapedText[] = [];
  let current: ShapedText | null = null;
  for (const item of items) {
    const fitted = font.fit(item, size, width);
    const candidate: ShapedText = current ? font.shape(current.text + SEPARATOR + fitted.text) : fitted;
    if (font.width(candidate, size) <= width) current = candidate;
    else {
      if (current) lines.push(current);
      current = fitted;
    }
  }
  if (current) lines.push(current);
  return lines;
}

/** The totals a summary opens with, four to a row, value over label. */
function drawTotals(canvas: Canvas, regular: Face, bold: Face, totals: readonly TotalLine[], top: number): number {
  const perRow = 4;
  const cellW = TABLE_W / perRow;
  const cellH = 34;
  const rows = Math.ceil(totals.length / perRow);
  canvas.rect(MARGIN, top - rows * cellH - 4, TABLE_W, rows * cellH + 4, LIGHT);
  totals.forEach((t, i) => {
    const x = MARGIN + (i % perRow) * cellW + 8;
    const y = top - Math.floor(i / perRow) * cellH;
    canvas.text(13, x, y - 16, bold.fit(t.value, 13, cellW - 16));
    canvas.text(8, x, y - 28, regular.fit(t.label, 8, cellW - 16), GREY);
  });
  return top - rows * cellH - 16;
}

/** Bars per bucket over a time axis, with the running total as a line on its own scale. */
function drawChart(canvas: Canvas, regular: Face, bold: Face, chart: TimeChart, clock: ZonedClock, top: number): number {
  const height = 190;
  const left = MARGIN + 34;
  const right = PAGE_W - MARGIN - 40;
  const bottom = top - height + 30;
  const plotTop = top - 26;
  canvas.text(10, MARGIN, top - 10, bold.shape(chart.title));
  const first = chart.bars[0];
  const last = chart.bars[chart.bars.length - 1];
  if (!first || !last) {
    canvas.text(9, left, bottom + 40, regular.shape('No check-ins in this range.'), GREY);
    return top - height;
  }
  const start = first.at;
  const end = last.at + chart.bucketMs;
  const span = end - start;
  const plotW = right - left;
  const plotH = plotTop - bottom;
  const maxCount = Math.max(...chart.bars.map((b) => b.count));
  const total = chart.bars.reduce((s, b) => s + b.count, 0);
  const xOf = (t: number) => left + ((t - start) / span) * plotW;

  // Axes and a few gridlines with their values.
  canvas.line(
    [
      [left, plotTop],
      [left, bottom],
      [right, bottom],
      [right, plotTop],
    ],
    RULE,
  );
  for (const f of [0, 0.5, 1]) {
    const yy = bottom + f * plotH;
    if (f > 0)
      canvas.line(
        [
          [left, yy],
          [right, yy],
        ],
        LIGHT,
      );
    const barValue = regular.shape(String(Math.round(maxCount * f)));
    canvas.text(7, left - 4 - regular.width(barValue, 7), yy - 2, barValue, BAR);
    canvas.text(7, right + 4, yy - 2, regular.shape(String(Math.round(total * f))), LINE);
  }

  const barW = Math.max(0.6, (chart.bucketMs / span) * plotW - 0.6);
  for (const bar of chart.bars) {
    const h = (bar.count / maxCount) * plotH;
    canvas.rect(xOf(bar.at), bottom, barW, h, BAR);
  }
  let running = 0;
  const points: [number, number][] = [[xOf(start), bottom]];
  for (const bar of chart.bars) {
    running += bar.count;
    points.push([xOf(bar.at + chart.bucketMs), bottom + (running / total) * plotH]);
  }
  canvas.line(points, LINE, 1.2);

  // Time labels in the event's zone: "09-17 08:15".
  const ticks = 6;
  for (let i = 0; i <= ticks; i++) {
    const t = start + (span * i) / ticks;
    const label = regular.shape(clock.format(t).slice(5, 16).replace('T', ' '));
    const w = regular.width(label, 7);
    canvas.text(7, Math.min(right - w, Math.max(left, xOf(t) - w / 2)), bottom - 10, label, GREY);
  }
  // Legend.
  canvas.rect(left, bottom - 24, 8, 6, BAR);
  canvas.text(7, left + 11, bottom - 24, regular.shape(chart.barLabel));
  const legendX = left + 20 + regular.width(regular.shape(chart.barLabel), 7);
  canvas.line(
    [
      [legendX, bottom - 21],
      [legendX + 10, bottom - 21],
    ],
    LINE,
    1.2,
  );
  canvas.text(7, legendX + 13, bottom - 24, regular.shape(`${chart.lineLabel} (right axis)`));
  return top - height - 8;
}

/** Column widths that fill the page: given proportions, or measured from the header and the rows. */
function columnWidths(report: PdfReport, kinds: readonly ColumnKind[], regular: Face, bold: Face): number[] {
  let raw: number[];
  const given = report.columns.map((c) => c.width);
  if (given.every((w): w is number => w !== undefined)) raw = given;
  else {
    const sample = report.rows.slice(0, 500);
    raw = report.columns.map(({ header: title }, i) => {
      const cells = sample.map((row) => regular.width(regular.shape(display(row[i] ?? null, kinds[i] ?? 'text')), TABLE_SIZE));
      cells.sort((a, b) => a - b);
      const typical = cells.length > 0 ? (cells[Math.floor(cells.length * 0.9)] ?? 0) : 0;
      const head = bold.width(bold.shape(title), TABLE_SIZE);
      return Math.min(220, Math.max(34, typical, Math.min(head, 110)) + 2 * CELL_PAD);
    });
  }
  const sum = raw.reduce((s, w) => s + w, 0) || 1;
  return raw.map((w) => (w / sum) * TABLE_W);
}
