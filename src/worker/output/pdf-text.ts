// Text in report PDFs: every name in its own script, measured with the font that draws it.
//
// A string is drawn with the first font of a stack that has its characters: Noto Sans (Latin, Greek,
// Cyrillic), Noto Sans Arabic, Noto Sans Hebrew, Noto Sans Symbols 2 (✓ ★ ☎ …), Noto Emoji
// (monochrome). It is ordered for display by the Unicode bidi algorithm (bidi-js) with the
// document's left-to-right as the base direction, and shaped by fontkit (Arabic joining, marks,
// emoji sequences). A character no font has is drawn as a visible "�" that still copies as itself.
//
// The fonts themselves, and how each is embedded so that copied text gives back its letters, are in
// pdf-fonts.ts.
//
// Plain text (every character in Noto Sans, no marks) skips bidi and shaping: a table of 20,000 rows
// is mostly that, and fontkit's layout costs ~100 µs a string against ~2 µs for the cmap lookups.

import bidiFactory from 'bidi-js';
import type * as fontkit from 'fontkit';
import type { EmbeddedFont } from './pdf-fonts';

/** One glyph of shaped text; lengths in thousandths of the font size. */
export interface PlacedGlyph {
  readonly gid: number;
  /** The characters this glyph stands for, for the ToUnicode map ('' for a mark a letter was split into). */
  readonly text: string;
  /** The glyph's own advance, the width the PDF font declares for it. */
  readonly width: number;
  /** The advance after shaping (kerning, marks). */
  readonly advance: number;
  readonly dx: number;
  readonly dy: number;
}

/** Glyphs of one font, left to right. */
export interface GlyphRun {
  readonly font: EmbeddedFont;
  readonly glyphs: readonly PlacedGlyph[];
}

/** A string ready to draw: its runs in visual order and its width in thousandths of the font size. */
export interface ShapedText {
  readonly text: string;
  readonly runs: readonly GlyphRun[];
  readonly width: number;
}

const bidi = bidiFactory();
const segmenter = new Intl.Segmenter('en', { granularity: 'grapheme' });
/** What makes a grapheme longer than one code point: marks (keycaps too), joiners, selectors, flags, skin tones, tags. */
const CLUSTERING = /\p{M}|\u200c|\u200d|[\ufe00-\ufe0f]|[\u{1f1e6}-\u{1f1ff}]|[\u{1f3fb}-\u{1f3ff}]|[\u{e0020}-\u{e007f}]/u;

/** The user-perceived characters of a string, with their UTF-16 offsets. */
function graphemes(text: string): { segment: string; index: number }[] {
  // Intl.Segmenter is the slow part of shaping; most text has one code point per grapheme.
  if (CLUSTERING.test(text)) return Array.from(segmenter.segment(text), ({ segment, index }) => ({ segment, index }));
  const out: { segment: string; index: number }[] = [];
  let index = 0;
  for (const segment of text) {
    out.push({ segment, index });
    index += segment.length;
  }
  return out;
}

/** Characters that plain text cannot contain: marks, controls, joiners, selectors, bidi controls. */
const NOT_PLAIN = /[\p{M}\p{Cc}\p{Default_Ignorable_Code_Point}]/u;
/** Characters that take no glyph of their own: joiners, variation selectors, the keycap and tag marks. */
const IGNORABLE = /\p{Default_Ignorable_Code_Point}|\u20e3/u;
/** A cluster that asks for an emoji picture rather than a text symbol. */
const EMOJI = /\p{Emoji_Presentation}|\ufe0f|\u20e3/u;
/** Spaces and punctuation: they stay in the font of the script around them, so Arabic words shape as one run. */
const NEUTRAL = /^[\p{Z}\p{P}]+$/u;
const REPLACEMENT = 0xfffd;
const ELLIPSIS = '\u2026';

/** A text style (regular or bold): shapes and measures strings with its font stack. */
export class Face {
  private readonly primary: EmbeddedFont;
  /** Plain characters of the primary font, by code point (null: not plain). */
  private readonly plain = new Map<number, PlacedGlyph | null>();
  /** The font of a grapheme outside any script run (null: none has it). */
  private readonly coverage = new Map<string, EmbeddedFont | null>();
  /**
   * Shaped pieces by font, direction and text. fontkit's layout costs ~0.1 ms a call; report columns
   * repeat words and names (a ticket type, a company, a status), so most pieces are shaped once.
   */
  private readonly pieces = new Map<string, PlacedGlyph[]>();
  /** Shaped lines that needed bidi or shaping, likewise: a name in Arabic is usually on several rows. */
  private readonly lines = new Map<string, ShapedText>();

  constructor(
    private readonly stack: readonly [EmbeddedFont, ...EmbeddedFont[]],
    private readonly emoji: EmbeddedFont,
  ) {
    this.primary = stack[0];
  }

  /** Width of shaped text at a font size, in points. */
  width(text: ShapedText, size: number): number {
    return (text.width * size) / 1000;
  }

  /** The text as one line: tabs and line breaks become spaces. */
  shape(text: string): ShapedText {
    const line = text.replace(/[\t\n\r]/g, ' ');
    const glyphs: PlacedGlyph[] = [];
    let width = 0;
    for (const char of line) {
      const glyph = this.plainGlyph(char);
      if (!glyph) return this.shapeComplex(line);
      glyphs.push(glyph);
      width += glyph.advance;
    }
    return { text: line, runs: glyphs.length > 0 ? [{ font: this.primary, glyphs }] : [], width };
  }

  /** Cut to fit `maxWidth` points at `size`, between graphemes, ending in "…" when something was cut. */
  fit(text: string, size: number, maxWidth: number): ShapedText {
    const whole = this.shape(text);
    if (this.width(whole, size) <= maxWidth) return whole;
    const clusters = graphemes(whole.text).map((g) => g.segment);
    // Width grows with the prefix, so the longest prefix that fits is found by bisection.
    let best = this.shape(ELLIPSIS);
    let low = 0;
    let high = clusters.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const candidate = this.shape(clusters.slice(0, mid).join('') + ELLIPSIS);
      if (this.width(candidate, size) <= maxWidth) {
        best = candidate;
        low = mid + 1;
      } else high = mid - 1;
    }
    return best;
  }

  private plainGlyph(char: string): PlacedGlyph | null {
    const cp = char.codePointAt(0) ?? REPLACEMENT;
    let glyph = this.plain.get(cp);
    if (glyph === undefined) {
      const font = this.primary.font;
      glyph = null;
      if (!NOT_PLAIN.test(char) && font.hasGlyphForCodePoint(cp)) {
        const found = font.glyphForCodePoint(cp);
        const width = (found.advanceWidth * 1000) / font.unitsPerEm;
        glyph = { gid: found.id, text: char, width, advance: width, dx: 0, dy: 0 };
      }
      this.plain.set(cp, glyph);
    }
    return glyph;
  }

  /** Bidi runs in visual order, each split by font and shaped. */
  private shapeComplex(line: string): ShapedText {
    let shaped = this.lines.get(line);
    if (!shaped) {
      shaped = this.shapeRuns(line);
      if (this.lines.size >= 5_000) this.lines.clear();
      this.lines.set(line, shaped);
    }
    return shaped;
  }

  private shapeRuns(line: string): ShapedText {
    const embedding = bidi.getEmbeddingLevels(line, 'ltr');
    const mirrored = bidi.getMirroredCharactersMap(line, embedding.levels);
    const runs: GlyphRun[] = [];
    for (const { start, end, rtl } of visualRuns(embedding.levels)) {
      // Brackets in right-to-left text are drawn mirrored (bidi rule L4); they copy as typed.
      let shown = '';
      for (let i = start; i < end; i++) shown += mirrored.get(i) ?? line[i];
      const pieces = this.byFont(line.slice(start, end), shown);
      if (rtl) pieces.reverse();
      for (const piece of pieces) runs.push(this.layout(piece, rtl));
    }
    const width = runs.reduce((sum, run) => sum + run.glyphs.reduce((w, g) => w + g.advance, 0), 0);
    return { text: line, runs, width };
  }

  /** Consecutive graphemes of one font, in logical order; `font: null` for graphemes no font has. */
  private byFont(typed: string, shown: string): Piece[] {
    const pieces: Piece[] = [];
    for (const { segment, index } of graphemes(shown)) {
      const last = pieces[pieces.length - 1];
      const font = this.fontFor(segment, last?.font ?? null);
      const cluster = { typed: typed.slice(index, index + segment.length), shown: segment };
      if (last && last.font === font && font !== null) last.clusters.push(cluster);
      else pieces.push({ font, clusters: [cluster] });
    }
    return pieces;
  }

  private fontFor(cluster: string, previous: EmbeddedFont | null): EmbeddedFont | null {
    const cps: number[] = [];
    for (const char of cluster) if (!IGNORABLE.test(char)) cps.push(char.codePointAt(0) ?? REPLACEMENT);
    const first = cps[0];
    if (first === undefined) return previous ?? this.primary;
    const has = (font: EmbeddedFont) => cps.every((cp) => font.font.hasGlyphForCodePoint(cp));
    if (previous?.script && NEUTRAL.test(cluster) && has(previous)) return previous;
    let font = this.coverage.get(cluster);
    if (font === undefined) {
      font = EMOJI.test(cluster) && this.emoji.font.hasGlyphForCodePoint(first) ? this.emoji : (this.stack.find(has) ?? null);
      this.coverage.set(cluster, font);
    }
    return font;
  }

  private layout(piece: Piece, rtl: boolean): GlyphRun {
    const key = `${piece.font?.resource ?? '-'}:${rtl ? 'r' : 'l'}:${piece.clusters.map((c) => c.typed).join('')}`;
    let glyphs = this.pieces.get(key);
    if (!glyphs) {
      glyphs = this.layoutPiece(piece, rtl);
      // Bounded (both caches): a report of unique names must not keep them all.
      if (this.pieces.size >= 5_000) this.pieces.clear();
      this.pieces.set(key, glyphs);
    }
    return { font: piece.font ?? this.primary, glyphs };
  }

  private layoutPiece(piece: Piece, rtl: boolean): PlacedGlyph[] {
    const { font, clusters } = piece;
    const inOrder = rtl ? [...clusters].reverse() : clusters;
    if (font === null) {
      // Drawn as "�" so the gap shows, and mapped to the original characters so they copy.
      const glyph = this.primary.font.glyphForCodePoint(REPLACEMENT);
      const width = (glyph.advanceWidth * 1000) / this.primary.font.unitsPerEm;
      return inOrder.map((c) => ({ gid: glyph.id, text: c.typed, width, advance: width, dx: 0, dy: 0 }));
    }
    if (font === this.emoji) {
      // One picture per grapheme, copying as the whole sequence (skin tone, ZWJ family, flag).
      return inOrder.flatMap((c) => placed(font.font, font.font.layout(c.shown), (_, i) => (i === 0 ? c.typed : '')));
    }
    const shown = clusters.map((c) => c.shown).join('');
    // Mirroring is done above by the bidi rules; the font's own rtlm would undo it.
    const run = font.font.layout(shown, { rtlm: false }, undefined, undefined, rtl ? 'rtl' : 'ltr');
    return placed(font.font, run, (g) => {
      const text = String.fromCodePoint(...g.codePoints);
      return rtl ? [...text].map((char) => bidi.getMirroredCharacter(char) ?? char).join('') : text;
    });
  }
}

interface Piece {
  font: EmbeddedFont | null;
  clusters: { typed: string; shown: string }[];
}

function placed(
  font: fontkit.Font,
  run: fontkit.GlyphRun,
  textOf: (glyph: fontkit.Glyph, index: number) => string,
): PlacedGlyph[] {
  const scale = 1000 / font.unitsPerEm;
  return run.glyphs.map((glyph, i) => {
    const position = run.positions[i];
    return {
      gid: glyph.id,
      text: textOf(glyph, i),
      width: glyph.advanceWidth * scale,
      advance: (position?.xAdvance ?? glyph.advanceWidth) * scale,
      dx: (position?.xOffset ?? 0) * scale,
      dy: (position?.yOffset ?? 0) * scale,
    };
  });
}

/**
 * Runs of one embedding level in display order (bidi rule L2): from the highest level down to the
 * lowest odd one, every sequence of runs at that level or above is reversed. Rule L1 (whitespace at
 * the end back to the paragraph level) is left out: in a left-to-right paragraph that whitespace
 * already resolves to level 0 unless the text opens explicit embeddings of its own.
 */
function visualRuns(levels: Uint8Array): { start: number; end: number; rtl: boolean }[] {
  const runs: { start: number; end: number; level: number }[] = [];
  for (let start = 0; start < levels.length; ) {
    const level = levels[start] ?? 0;
    let end = start + 1;
    while (end < levels.length && levels[end] === level) end++;
    runs.push({ start, end, level });
    start = end;
  }
  const highest = Math.max(0, ...runs.map((r) => r.level));
  const lowestOdd = Math.min(highest + 1, ...runs.map((r) => r.level).filter((l) => l % 2 === 1));
  for (let level = highest; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; ) {
      if ((runs[i]?.level ?? 0) < level) {
        i++;
        continue;
      }
      let j = i;
      while (j < runs.length && (runs[j]?.level ?? 0) >= level) j++;
      runs.splice(i, j - i, ...runs.slice(i, j).reverse());
      i = j;
    }
  }
  return runs.map((r) => ({ start: r.start, end: r.end, rtl: r.level % 2 === 1 }));
}
