// Report PDFs: title, event, parameters, generation time, totals, an optional chart, then a table
// that paginates with its header row on every page, and "Page N of M" in every footer.
//
// pdf-lib gives us the document structure, the standard fonts and the file; the page contents are
// written as raw content-stream operators, one compressed stream per page, because pdf-lib's
// drawText keeps several objects per call alive until save(): 20,000 rows x 10 cells would not
// fit in a Worker's 128 MB. The output is deterministic (fixed font names, dates from the job),
// so a resumed upload regenerates the same bytes.
//
// The standard fonts speak WinAnsi only: text they cannot draw (emoji, Arabic, Hebrew, CJK) is
// replaced by a visible "?" rather than failing the report or silently vanishing.

import { PDFDocument, type PDFFont, PDFName, type PDFPage, StandardFonts } from 'pdf-lib';
import type { ColumnKind, TimeChart, TotalLine } from '../reports/types';
import type { ZonedClock } from '../time';
import type { Cell } from './csv';

export interface PdfReport {
  /** The report type's name; also the document's Title metadata, with the event. */
  title: string;
  eventName: string;
  parameters: { label: string; value: string }[];
  /** When the report was generated, as an instant; shown in the event's zone. */
  generatedAt: number;
  clock: ZonedClock;
  columns: readonly string[];
  kinds?: readonly ColumnKind[];
  widths?: readonly number[];
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

const ELLIPSIS = 0x2026;
const QUESTION = 0x3f;

/** One standard font: the WinAnsi code and the width of every character it can draw. */
class FontMetrics {
  private readonly codes = new Map<number, string>();
  private readonly widths = new Map<number, number>();

  constructor(
    readonly resource: string,
    font: PDFFont,
  ) {
    for (const cp of font.getCharacterSet()) {
      const char = String.fromCodePoint(cp);
      // encodeText answers "<XX>": the character's byte in the font's encoding.
      this.codes.set(cp, font.encodeText(char).toString().slice(1, -1));
      this.widths.set(cp, font.widthOfTextAtSize(char, 1000));
    }
  }

  /** The text as code points the font can draw; what it cannot draw becomes a visible "?". */
  drawable(text: string): number[] {
    const out: number[] = [];
    let joined = false;
    for (const char of text) {
      const cp = char.codePointAt(0) ?? QUESTION;
      if (cp === 0x200d) {
        joined = true; // zero-width joiner: the next character belongs to the same emoji
        continue;
      }
      // Variation selectors and skin-tone modifiers only restyle the character before them.
      if ((cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff)) continue;
      const unsupported = !this.codes.has(cp);
      if (cp === 9 || cp === 10 || cp === 13) out.push(0x20);
      else if (!unsupported) out.push(cp);
      else if (!joined) out.push(QUESTION);
      joined = false;
    }
    return out;
  }

  width(cps: readonly number[], size: number): number {
    let w = 0;
    for (const cp of cps) w += this.widths.get(cp) ?? 0;
    return (w * size) / 1000;
  }

  /** Cut to fit `maxWidth`, ending in "…" when something was cut. */
  fit(cps: number[], size: number, maxWidth: number): number[] {
    if (this.width(cps, size) <= maxWidth) return cps;
    const room = maxWidth - ((this.widths.get(ELLIPSIS) ?? 1000) * size) / 1000;
    let w = 0;
    let end = 0;
    for (; end < cps.length; end++) {
      const next = ((this.widths.get(cps[end] ?? 0) ?? 0) * size) / 1000;
      if (w + next > room) break;
      w += next;
    }
    return [...cps.slice(0, end), ELLIPSIS];
  }

  hex(cps: readonly number[]): string {
    let out = '';
    for (const cp of cps) out += this.codes.get(cp) ?? '3F';
    return `<${out}>`;
  }
}

const n = (v: number) => (Math.round(v * 100) / 100).toString();

type Rgb = readonly [number, number, number];
const BLACK: Rgb = [0, 0, 0];
const GREY: Rgb = [0.4, 0.4, 0.4];
const LIGHT: Rgb = [0.95, 0.95, 0.96];
const HEADER_BG: Rgb = [0.87, 0.9, 0.95];
const RULE: Rgb = [0.75, 0.75, 0.78];
const BAR: Rgb = [0.27, 0.47, 0.76];
const LINE: Rgb = [0.85, 0.42, 0.1];

/** The operators of one page's content stream. */
class Canvas {
  readonly ops: string[] = [];

  text(font: FontMetrics, size: number, x: number, y: number, cps: readonly number[], color: Rgb = BLACK): void {
    if (cps.length === 0) return;
    this.ops.push(`${color.map(n).join(' ')} rg BT /${font.resource} ${n(size)} Tf ${n(x)} ${n(y)} Td ${font.hex(cps)} Tj ET`);
  }

  rect(x: number, y: number, w: number, h: number, color: Rgb): void {
    this.ops.push(`${color.map(n).join(' ')} rg ${n(x)} ${n(y)} ${n(w)} ${n(h)} re f`);
  }

  line(points: readonly (readonly [number, number])[], color: Rgb, width = 0.5): void {
    const [first, ...rest] = points;
    if (!first) return;
    const path = [`${n(first[0])} ${n(first[1])} m`, ...rest.map(([x, y]) => `${n(x)} ${n(y)} l`)];
    this.ops.push(`${n(width)} w ${color.map(n).join(' ')} RG ${path.join(' ')} S`);
  }
}

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
  const regularFont = await doc.embedFont(StandardFonts.Helvetica);
  const boldFont = await doc.embedFont(StandardFonts.HelveticaBold);
  const regular = new FontMetrics('F1', regularFont);
  const bold = new FontMetrics('F2', boldFont);

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
    const page = doc.addPage([PAGE_W, PAGE_H]);
    page.node.setFontDictionary(PDFName.of(regular.resource), regularFont.ref);
    page.node.setFontDictionary(PDFName.of(bold.resource), boldFont.ref);
    pages.push(page);
    canvas = new Canvas();
  };
  // A finished page's body is compressed at once, so only one page's operators are ever in memory.
  const closePage = () => {
    const page = pages[pages.length - 1];
    if (page) page.node.addContentStream(doc.context.register(doc.context.flateStream(canvas.ops.join('\n'))));
  };

  newPage();
  let y = PAGE_H - MARGIN - 14;
  canvas.text(bold, 18, MARGIN, y, bold.fit(bold.drawable(report.title), 18, TABLE_W));
  y -= 20;
  canvas.text(regular, 12, MARGIN, y, regular.fit(regular.drawable(report.eventName), 12, TABLE_W));
  y -= 18;
  const meta = [
    ...report.parameters.map((p) => `${p.label}: ${p.value}`),
    `Generated: ${report.clock.format(report.generatedAt)} (${report.clock.timeZone})`,
    `Rows: ${report.rows.length.toLocaleString('en-US')}`,
  ];
  for (const line of wrap(regular, meta, 9, TABLE_W)) {
    canvas.text(regular, 9, MARGIN, y, line, GREY);
    y -= 12;
  }
  y -= 6;

  if (report.totals && report.totals.length > 0) y = drawTotals(canvas, regular, bold, report.totals, y);
  if (report.chart) y = drawChart(canvas, regular, bold, report.chart, report.clock, y);

  const kinds = report.columns.map((_, i) => report.kinds?.[i] ?? 'text');
  const widths = columnWidths(report, kinds, regular, bold);
  // Column titles wrap onto a second line rather than being cut ("Tickets refunded").
  const titles = report.columns.map((title, i) => wrapWords(bold, title, TABLE_SIZE, (widths[i] ?? 0) - 2 * CELL_PAD, 2));
  const headerH = HEADER_H + (Math.max(1, ...titles.map((t) => t.length)) - 1) * LINE_H;
  const header = (top: number) => {
    canvas.rect(MARGIN, top - headerH, TABLE_W, headerH, HEADER_BG);
    let x = MARGIN;
    titles.forEach((lines, i) => {
      const w = widths[i] ?? 0;
      // Bottom-aligned, so one-line titles sit on the same baseline as the last line of two-line ones.
      lines.forEach((cps, l) => {
        const tx = isNumeric(kinds[i] ?? 'text') ? x + w - CELL_PAD - bold.width(cps, TABLE_SIZE) : x + CELL_PAD;
        canvas.text(bold, TABLE_SIZE, tx, top - headerH + 5 + (lines.length - 1 - l) * LINE_H, cps);
      });
      x += w;
    });
    return top - headerH;
  };

  if (report.rows.length === 0) {
    canvas.text(regular, 11, MARGIN, y - 14, regular.drawable('No rows match these parameters.'), GREY);
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
        const cps = regular.fit(regular.drawable(display(row[i] ?? null, kind)), TABLE_SIZE, w - 2 * CELL_PAD);
        const tx = isNumeric(kind) ? x + w - CELL_PAD - regular.width(cps, TABLE_SIZE) : x + CELL_PAD;
        canvas.text(regular, TABLE_SIZE, tx, y - ROW_H + 4, cps);
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
  const footerLeft = regular.fit(regular.drawable(`${report.title} · ${report.eventName} · Voyage Reports`), 7, TABLE_W - 120);
  pages.forEach((page, i) => {
    const footer = new Canvas();
    footer.text(regular, 7, MARGIN, FOOTER_Y, footerLeft, GREY);
    const label = regular.drawable(`Page ${i + 1} of ${pages.length}`);
    footer.text(regular, 7, PAGE_W - MARGIN - regular.width(label, 7), FOOTER_Y, label, GREY);
    page.node.addContentStream(doc.context.register(doc.context.flateStream(footer.ops.join('\n'))));
  });

  return doc.save();
}

/** Words flowed into at most `maxLines` lines of `width`; the last line is cut with "…" if need be. */
function wrapWords(font: FontMetrics, text: string, size: number, width: number, maxLines: number): number[][] {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let current = '';
  for (const [i, word] of words.entries()) {
    const candidate = current ? `${current} ${word}` : word;
    if (!current || font.width(font.drawable(candidate), size) <= width) {
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
  return lines.map((line) => font.fit(font.drawable(line), size, width));
}

/** Words of the metadata lines, flowed into lines that fit the width. */
function wrap(font: FontMetrics, items: readonly string[], size: number, width: number): number[][] {
  const lines: number[][] = [];
  let current: number[] = [];
  const separator = font.drawable('   ·   ');
  for (const item of items) {
    const cps = font.fit(font.drawable(item), size, width);
    const candidate = current.length === 0 ? cps : [...current, ...separator, ...cps];
    if (font.width(candidate, size) <= width) current = candidate;
    else {
      lines.push(current);
      current = cps;
    }
  }
  if (current.length > 0) lines.push(current);
  return lines;
}

/** The totals a summary opens with, three to a row, value over label. */
function drawTotals(canvas: Canvas, regular: FontMetrics, bold: FontMetrics, totals: readonly TotalLine[], top: number): number {
  const perRow = 4;
  const cellW = TABLE_W / perRow;
  const cellH = 34;
  const rows = Math.ceil(totals.length / perRow);
  canvas.rect(MARGIN, top - rows * cellH - 4, TABLE_W, rows * cellH + 4, LIGHT);
  totals.forEach((t, i) => {
    const x = MARGIN + (i % perRow) * cellW + 8;
    const y = top - Math.floor(i / perRow) * cellH;
    canvas.text(bold, 13, x, y - 16, bold.fit(bold.drawable(t.value), 13, cellW - 16));
    canvas.text(regular, 8, x, y - 28, regular.fit(regular.drawable(t.label), 8, cellW - 16), GREY);
  });
  return top - rows * cellH - 16;
}

/** Bars per bucket over a time axis, with the running total as a line on its own scale. */
function drawChart(
  canvas: Canvas,
  regular: FontMetrics,
  bold: FontMetrics,
  chart: TimeChart,
  clock: ZonedClock,
  top: number,
): number {
  const height = 190;
  const left = MARGIN + 34;
  const right = PAGE_W - MARGIN - 40;
  const bottom = top - height + 30;
  const plotTop = top - 26;
  canvas.text(bold, 10, MARGIN, top - 10, bold.drawable(chart.title));
  const first = chart.bars[0];
  const last = chart.bars[chart.bars.length - 1];
  if (!first || !last) {
    canvas.text(regular, 9, left, bottom + 40, regular.drawable('No check-ins in this range.'), GREY);
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
    const barValue = regular.drawable(String(Math.round(maxCount * f)));
    canvas.text(regular, 7, left - 4 - regular.width(barValue, 7), yy - 2, barValue, BAR);
    canvas.text(regular, 7, right + 4, yy - 2, regular.drawable(String(Math.round(total * f))), LINE);
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
    const label = regular.drawable(clock.format(t).slice(5, 16).replace('T', ' '));
    const w = regular.width(label, 7);
    canvas.text(regular, 7, Math.min(right - w, Math.max(left, xOf(t) - w / 2)), bottom - 10, label, GREY);
  }
  // Legend.
  canvas.rect(left, bottom - 24, 8, 6, BAR);
  canvas.text(regular, 7, left + 11, bottom - 24, regular.drawable(chart.barLabel));
  const legendX = left + 20 + regular.width(regular.drawable(chart.barLabel), 7);
  canvas.line(
    [
      [legendX, bottom - 21],
      [legendX + 10, bottom - 21],
    ],
    LINE,
    1.2,
  );
  canvas.text(regular, 7, legendX + 13, bottom - 24, regular.drawable(`${chart.lineLabel} (right axis)`));
  return top - height - 8;
}

/** Column widths that fill the page: given proportions, or measured from the header and the rows. */
function columnWidths(report: PdfReport, kinds: readonly ColumnKind[], regular: FontMetrics, bold: FontMetrics): number[] {
  let raw: number[];
  if (report.widths && report.widths.length === report.columns.length) raw = [...report.widths];
  else {
    const sample = report.rows.slice(0, 500);
    raw = report.columns.map((title, i) => {
      const cells = sample.map((row) => regular.width(regular.drawable(display(row[i] ?? null, kinds[i] ?? 'text')), TABLE_SIZE));
      cells.sort((a, b) => a - b);
      const typical = cells.length > 0 ? (cells[Math.floor(cells.length * 0.9)] ?? 0) : 0;
      const head = bold.width(bold.drawable(title), TABLE_SIZE);
      return Math.min(220, Math.max(34, typical, Math.min(head, 110)) + 2 * CELL_PAD);
    });
  }
  const sum = raw.reduce((s, w) => s + w, 0) || 1;
  return raw.map((w) => (w / sum) * TABLE_W);
}
