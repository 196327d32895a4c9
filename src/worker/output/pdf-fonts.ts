// The fonts of report PDFs and how they are embedded: the Noto stack loaded once per isolate, and a
// subset of each font a document drew with, written as a Type0/CIDFontType2 font.
//
// Fonts are embedded as subsets of the glyphs drawn, in Type0/CIDFontType2 fonts written here rather
// than by pdf-lib's embedFont, because we need one character code per (glyph, text) pair: shaped
// Arabic draws ب ت ث ن ي with one dotless glyph plus dots, and a ToUnicode CMap maps a code to one
// text. With a code per pair, pdftotext and copy-paste give back the letters that were drawn, in
// reading order (the glyphs are in visual order; readers reorder right-to-left text themselves).
// Codes are allocated in drawing order and subset tags are fixed, so a report renders to the same
// bytes every time.

import * as fontkit from 'fontkit';
import { type PDFDocument, PDFName, type PDFRef, PDFString } from 'pdf-lib';
import { Face, type PlacedGlyph } from './pdf-text';

/** A font as parsed once per isolate. */
interface LoadedFont {
  readonly font: fontkit.Font;
  /** Script fonts keep the spaces and punctuation between their words. */
  readonly script: boolean;
}

interface LoadedFonts {
  sansRegular: LoadedFont;
  sansBold: LoadedFont;
  arabic: LoadedFont;
  hebrew: LoadedFont;
  symbols: LoadedFont;
  emoji: LoadedFont;
}

let loaded: Promise<LoadedFonts> | undefined;

/** The fonts, imported on the first PDF of an isolate: nothing else loads them. */
function loadFonts(): Promise<LoadedFonts> {
  loaded ??= (async () => {
    const [sansRegular, sansBold, arabic, hebrew, symbols, emoji] = await Promise.all([
      import('./fonts/NotoSans-Regular.ttf.bin'),
      import('./fonts/NotoSans-Bold.ttf.bin'),
      import('./fonts/NotoSansArabic-Regular.ttf.bin'),
      import('./fonts/NotoSansHebrew-Regular.ttf.bin'),
      import('./fonts/NotoSansSymbols2-Regular.ttf.bin'),
      import('./fonts/NotoEmoji-Regular.ttf.bin'),
    ]);
    return {
      sansRegular: parse(sansRegular.default, false),
      sansBold: parse(sansBold.default, false),
      arabic: parse(arabic.default, true),
      hebrew: parse(hebrew.default, true),
      symbols: parse(symbols.default, false),
      emoji: parse(emoji.default, false),
    };
  })();
  loaded.catch(() => {
    loaded = undefined;
  });
  return loaded;
}

function parse(bytes: ArrayBuffer, script: boolean): LoadedFont {
  const font = fontkit.create(new Uint8Array(bytes));
  // fontkit caches one Glyph object per glyph id, with the code points of its first use, and
  // returns that object from layout: the dotless base of ب would later report itself as ب when
  // it draws ت. A view per (glyph, code points) carries the code points shaping gave it (GSUB
  // keeps them per glyph); views are kept, since each caches its metrics as fontkit's glyphs do.
  const glyphOf = font.getGlyph.bind(font);
  const views = new Map<string, fontkit.Glyph>();
  font.getGlyph = (id, codePoints = []) => {
    const key = `${id}:${codePoints.join(',')}`;
    let view = views.get(key);
    if (!view) {
      view = Object.create(glyphOf(id, codePoints), { codePoints: { value: codePoints } }) as fontkit.Glyph;
      views.set(key, view);
    }
    return view;
  };
  return { font, script };
}

/** A font of one document: the glyphs it drew and the codes it gave them. */
export class EmbeddedFont {
  private readonly subset: fontkit.Subset;
  private readonly codes = new Map<string, string>();
  private readonly byGlyph = new WeakMap<PlacedGlyph, string>();
  /** By code, from 1: the subset glyph, its width and its text. Code 0 stays .notdef. */
  private readonly entries: { gid: number; width: number; text: string }[] = [];

  constructor(
    readonly resource: string,
    readonly font: fontkit.Font,
    readonly script: boolean,
  ) {
    this.subset = font.createSubset();
  }

  get used(): boolean {
    return this.entries.length > 0;
  }

  /** The two-byte code that draws `glyph` and copies as its text, as four hex digits. */
  hex(glyph: PlacedGlyph): string {
    // Glyph objects are reused (plain characters, shaped pieces): most lookups are by identity.
    let hex = this.byGlyph.get(glyph);
    if (hex === undefined) {
      const key = `${glyph.gid}:${glyph.text}`;
      hex = this.codes.get(key);
      if (hex === undefined) {
        this.entries.push({ gid: this.subset.includeGlyph(glyph.gid), width: glyph.width, text: glyph.text });
        if (this.entries.length > 0xffff) throw new Error(`Too many glyphs for one PDF font (${this.font.postscriptName})`);
        hex = hex4(this.entries.length);
        this.codes.set(key, hex);
      }
      this.byGlyph.set(glyph, hex);
    }
    return hex;
  }

  /** Writes the font: Type0 over a CIDFontType2 with the subset, widths, code-to-glyph map and ToUnicode. */
  write(doc: PDFDocument, tag: string): PDFRef {
    const { context } = doc;
    const font = this.font;
    const scale = 1000 / font.unitsPerEm;
    const name = `${tag}+${font.postscriptName}`;
    const program = this.subset.encode();
    const fontFile = context.register(context.flateStream(program, { Length1: program.length }));
    const descriptor = context.register(
      context.obj({
        Type: 'FontDescriptor',
        FontName: name,
        // Symbolic: the glyphs are reached through our codes, not a standard encoding.
        Flags: 4,
        FontBBox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY].map((v) => round(v * scale)),
        ItalicAngle: font.italicAngle,
        Ascent: round(font.ascent * scale),
        Descent: round(font.descent * scale),
        CapHeight: round((font.capHeight || font.ascent) * scale),
        StemV: 80,
        FontFile2: fontFile,
      }),
    );
    const codeToGlyph = new Uint8Array((this.entries.length + 1) * 2);
    const widths: number[] = [];
    this.entries.forEach((entry, i) => {
      const code = i + 1;
      codeToGlyph[code * 2] = entry.gid >> 8;
      codeToGlyph[code * 2 + 1] = entry.gid & 0xff;
      widths.push(round(entry.width));
    });
    const cidFont = context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'CIDFontType2',
        BaseFont: name,
        CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
        FontDescriptor: descriptor,
        CIDToGIDMap: context.register(context.flateStream(codeToGlyph)),
        DW: 0,
        W: [1, widths],
      }),
    );
    const toUnicode = context.register(context.flateStream(this.toUnicodeCMap()));
    return context.register(
      context.obj({
        Type: 'Font',
        Subtype: 'Type0',
        BaseFont: name,
        Encoding: 'Identity-H',
        DescendantFonts: [cidFont],
        ToUnicode: toUnicode,
      }),
    );
  }

  private toUnicodeCMap(): string {
    const pairs: string[] = [];
    this.entries.forEach((entry, i) => {
      if (entry.text !== '') pairs.push(`<${hex4(i + 1)}> <${utf16Hex(entry.text)}>`);
    });
    // A bfchar section holds at most 100 mappings.
    const sections: string[] = [];
    for (let i = 0; i < pairs.length; i += 100) {
      const chunk = pairs.slice(i, i + 100);
      sections.push(`${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar`);
    }
    return [
      '/CIDInit /ProcSet findresource begin',
      '12 dict begin',
      'begincmap',
      '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
      '/CMapName /Adobe-Identity-UCS def',
      '/CMapType 2 def',
      '1 begincodespacerange',
      '<0000> <FFFF>',
      'endcodespacerange',
      ...sections,
      'endcmap',
      'CMapName currentdict /CMap defineresource pop',
      'end',
      'end',
    ].join('\n');
  }
}

/** The fonts of one document: two faces over one fallback stack, and the fonts they drew with. */
export class PdfFonts {
  private constructor(
    readonly regular: Face,
    readonly bold: Face,
    private readonly all: readonly EmbeddedFont[],
  ) {}

  static async create(): Promise<PdfFonts> {
    const fonts = await loadFonts();
    const all: EmbeddedFont[] = [];
    const embed = (loadedFont: LoadedFont) => {
      const font = new EmbeddedFont(`F${all.length + 1}`, loadedFont.font, loadedFont.script);
      all.push(font);
      return font;
    };
    const regular = embed(fonts.sansRegular);
    const bold = embed(fonts.sansBold);
    // Bold has no Arabic, Hebrew, symbol or emoji face of its own: those draw in their regular weight.
    const fallbacks = [embed(fonts.arabic), embed(fonts.hebrew), embed(fonts.symbols), embed(fonts.emoji)];
    const emoji = fallbacks[3];
    if (!emoji) throw new Error('font stack without emoji');
    return new PdfFonts(new Face([regular, ...fallbacks], emoji), new Face([bold, ...fallbacks], emoji), all);
  }

  /** Writes every font that drew something, once the pages are drawn, and puts it in each page's resources. */
  write(doc: PDFDocument): void {
    const used = this.all.filter((font) => font.used);
    // Fixed subset tags (VRPDFA, VRPDFB, …): the same report gives the same bytes.
    const refs = used.map((font, i) => font.write(doc, `VRPDF${String.fromCharCode(65 + i)}`));
    for (const page of doc.getPages()) {
      used.forEach((font, i) => {
        const ref = refs[i];
        if (ref) page.node.setFontDictionary(PDFName.of(font.resource), ref);
      });
    }
  }
}

const round = (v: number) => Math.round(v * 100) / 100;
const hex4 = (v: number) => v.toString(16).toUpperCase().padStart(4, '0');

function utf16Hex(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}
