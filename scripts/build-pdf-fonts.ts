/// <reference path="../src/worker/output/fontkit.d.ts" />

// `npm run build:pdf-fonts`: makes the font subsets the PDF writer embeds, src/worker/output/fonts/*.ttf.bin,
// from Noto fonts published on npm (@expo-google-fonts ships the TTF files of Google Fonts' Noto builds).
// The outputs are committed, so neither a build nor the Worker needs this script or the network; run it
// again only to change what the fonts cover.
//
// Subsetting (HarfBuzz's, through subset-font) keeps only the characters below and only the OpenType
// features fontkit applies by default for Latin, Arabic, Hebrew and emoji sequences; small caps,
// old-style figures and the like are what made Noto Sans 630 KB. The `.bin` extension makes wrangler
// and the Vitest pool import each file as an ArrayBuffer without extra module rules.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as fontkit from 'fontkit';

const OUT = join(import.meta.dirname, '..', 'src', 'worker', 'output', 'fonts');

const PACKAGES = {
  sans: '@expo-google-fonts/noto-sans@0.4.2',
  arabic: '@expo-google-fonts/noto-sans-arabic@0.4.3',
  hebrew: '@expo-google-fonts/noto-sans-hebrew@0.4.1',
  symbols: '@expo-google-fonts/noto-sans-symbols-2@0.4.1',
  emoji: '@expo-google-fonts/noto-emoji@0.4.7',
  subsetter: 'subset-font@2.9.0',
} as const;

type Range = readonly [number, number];

/** Latin (with Vietnamese and IPA), combining marks, Greek, Cyrillic, punctuation, currency, letterlike. */
const LATIN_GREEK_CYRILLIC: Range[] = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x250, 0x36f],
  [0x370, 0x3ff],
  [0x400, 0x52f],
  [0x1e00, 0x1fff],
  [0x2000, 0x206f],
  [0x20a0, 0x20cf],
  [0x2100, 0x218f],
  [0xfffd, 0xfffd],
];
/** Arrows, technical symbols, geometric shapes, miscellaneous symbols, dingbats (✓ ✗ ★ ☎). */
const SYMBOLS: Range[] = [
  [0x2190, 0x27bf],
  [0x2b00, 0x2bff],
];

const FEATURES = [
  'ccmp',
  'locl',
  'liga',
  'rlig',
  'calt',
  'clig',
  'isol',
  'init',
  'medi',
  'fina',
  'curs',
  'kern',
  'mark',
  'mkmk',
  'rclt',
];

const FONTS: { out: string; pkg: keyof typeof PACKAGES; file: string; ranges: Range[] | null }[] = [
  { out: 'NotoSans-Regular', pkg: 'sans', file: '400Regular/NotoSans_400Regular.ttf', ranges: LATIN_GREEK_CYRILLIC },
  { out: 'NotoSans-Bold', pkg: 'sans', file: '700Bold/NotoSans_700Bold.ttf', ranges: LATIN_GREEK_CYRILLIC },
  { out: 'NotoSansArabic-Regular', pkg: 'arabic', file: '400Regular/NotoSansArabic_400Regular.ttf', ranges: null },
  { out: 'NotoSansHebrew-Regular', pkg: 'hebrew', file: '400Regular/NotoSansHebrew_400Regular.ttf', ranges: null },
  { out: 'NotoSansSymbols2-Regular', pkg: 'symbols', file: '400Regular/NotoSansSymbols2_400Regular.ttf', ranges: SYMBOLS },
  { out: 'NotoEmoji-Regular', pkg: 'emoji', file: '400Regular/NotoEmoji_400Regular.ttf', ranges: null },
];

type SubsetFont = (
  font: Uint8Array,
  text: string,
  options: { targetFormat: 'truetype'; noHinting: boolean; keepFeatures: string[] },
) => Promise<Uint8Array>;

const work = mkdtempSync(join(tmpdir(), 'pdf-fonts-'));
try {
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', work, ...Object.values(PACKAGES)], {
    stdio: 'inherit',
  });
  const require = createRequire(join(work, 'package.json'));
  const subsetFont = require('subset-font') as SubsetFont;
  const packageDir = (pkg: keyof typeof PACKAGES) => join(work, 'node_modules', PACKAGES[pkg].replace(/@[^@]+$/, ''));

  for (const font of FONTS) {
    const bytes = readFileSync(join(packageDir(font.pkg), font.file));
    const parsed = fontkit.create(bytes);
    const ranges = font.ranges;
    const chars = parsed.characterSet.filter((cp) => !ranges || ranges.some(([from, to]) => cp >= from && cp <= to));
    const subset = await subsetFont(bytes, String.fromCodePoint(...chars), {
      targetFormat: 'truetype',
      noHinting: true,
      keepFeatures: FEATURES,
    });
    writeFileSync(join(OUT, `${font.out}.ttf.bin`), subset);
    console.log(
      `${font.out}: ${chars.length} characters, ${bytes.length} → ${subset.length} bytes (${gzipSync(subset).length} gzip)`,
    );
  }
  for (const pkg of ['sans', 'arabic', 'hebrew', 'symbols', 'emoji'] as const) {
    copyFileSync(join(packageDir(pkg), 'LICENSE_FONT'), join(OUT, `OFL-${pkg}.txt`));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
