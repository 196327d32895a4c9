// The drawing layer of report PDFs: colours, and the content-stream operators of one page
// (rectangles, lines, text as positioned glyph runs). pdf.ts lays out the report with it.

import type { GlyphRun, ShapedText } from './pdf-text';

const n = (v: number) => (Math.round(v * 100) / 100).toString();

export type Rgb = readonly [number, number, number];
export const BLACK: Rgb = [0, 0, 0];
export const GREY: Rgb = [0.4, 0.4, 0.4];
export const LIGHT: Rgb = [0.95, 0.95, 0.96];
export const HEADER_BG: Rgb = [0.87, 0.9, 0.95];
export const RULE: Rgb = [0.75, 0.75, 0.78];
export const BAR: Rgb = [0.27, 0.47, 0.76];
export const LINE: Rgb = [0.85, 0.42, 0.1];

/** The operators of one page's content stream. */
export class Canvas {
  readonly ops: string[] = [];

  text(size: number, x: number, y: number, text: ShapedText, color: Rgb = BLACK): void {
    if (text.runs.length === 0) return;
    const parts = [`${color.map(n).join(' ')} rg BT ${n(x)} ${n(y)} Td`];
    for (const run of text.runs) parts.push(`/${run.font.resource} ${n(size)} Tf ${show(run, size)}`);
    parts.push('ET');
    this.ops.push(parts.join(' '));
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

/**
 * The text-showing operators of one run: a plain Tj while glyphs sit at their own widths, TJ
 * adjustments where shaping moved them (kerning, marks over Arabic letters), Ts for raised marks.
 */
function show(run: GlyphRun, size: number): string {
  let out = '';
  // The TJ array being built, its current hex string, and whether it needs TJ (has adjustments).
  let array = '';
  let hex = '';
  let adjusted = false;
  let rise = 0;
  for (const glyph of run.glyphs) {
    if (glyph.dy !== rise) {
      out += closeArray(array, hex, adjusted);
      array = '';
      hex = '';
      adjusted = false;
      rise = glyph.dy;
      out += `${n((rise * size) / 1000)} Ts `;
    }
    // A TJ number moves the next glyph left by that many thousandths of the font size.
    if (glyph.dx !== 0) {
      array += `${hex ? `<${hex}> ` : ''}${n(-glyph.dx)} `;
      hex = '';
      adjusted = true;
    }
    hex += run.font.hex(glyph);
    const rest = glyph.advance - glyph.width - glyph.dx;
    if (rest >= 0.005 || rest <= -0.005) {
      array += `<${hex}> ${n(-rest)} `;
      hex = '';
      adjusted = true;
    }
  }
  out += closeArray(array, hex, adjusted);
  // Ts outlives ET: leave the rise at 0 for whatever is drawn next.
  if (rise !== 0) out += '0 Ts ';
  return out.trimEnd();
}

function closeArray(array: string, hex: string, adjusted: boolean): string {
  if (!adjusted) return hex ? `<${hex}> Tj ` : '';
  return `[${array}${hex ? `<${hex}>` : ''}] TJ `;
}
