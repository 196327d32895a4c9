// A strict reader of the Prometheus text exposition format 0.0.4, stricter than the format itself:
// it also enforces the conventions `promtool check metrics` lints for (HELP and TYPE before every
// family's samples, counters named *_total, cumulative histograms ending in +Inf). The Worker
// tests run it on the live endpoint, where promtool cannot be spawned; scripts/check-ops.ts runs
// it next to promtool. Pure: no Workers or Node APIs.

export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ParsedFamily {
  name: string;
  help: string | null;
  type: string | null;
  samples: ParsedSample[];
}

export interface LintResult {
  families: Map<string, ParsedFamily>;
  errors: string[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

export function parseValue(text: string): number | null {
  if (text === 'NaN') return Number.NaN;
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  return FLOAT.test(text) ? Number(text) : null;
}

/** `name{a="x",b="y"} value [timestamp]`, with label values unescaped; null when malformed. */
function parseSampleLine(line: string): { sample: ParsedSample; error?: undefined } | { error: string } {
  const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line);
  if (!nameMatch) return { error: 'sample does not start with a metric name' };
  const name = nameMatch[0];
  let i = name.length;
  const labels: Record<string, string> = {};
  if (line[i] === '{') {
    i++;
    while (line[i] !== '}') {
      const labelMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(line.slice(i));
      if (!labelMatch) return { error: `bad label name at column ${i + 1}` };
      const label = labelMatch[0];
      i += label.length;
      if (line.slice(i, i + 2) !== '="') return { error: `label ${label} is not followed by ="` };
      i += 2;
      let value = '';
      for (;;) {
        const ch = line[i];
        if (ch === undefined) return { error: `unterminated value of label ${label}` };
        if (ch === '"') break;
        if (ch === '\\') {
          const next = line[i + 1];
          if (next === '\\') value += '\\';
          else if (next === '"') value += '"';
          else if (next === 'n') value += '\n';
          else return { error: `bad escape in label ${label}` };
          i += 2;
          continue;
        }
        value += ch;
        i++;
      }
      i++; // closing quote
      if (label in labels) return { error: `label ${label} repeated` };
      if (label.startsWith('__')) return { error: `label ${label} uses the reserved __ prefix` };
      labels[label] = value;
      if (line[i] === ',') {
        i++;
        if (line[i] === '}') return { error: 'trailing comma in the label set' };
      } else if (line[i] !== '}') return { error: `expected , or } after label ${label}` };
    }
    i++;
  }
  if (line[i] !== ' ') return { error: 'expected one space before the value' };
  const rest = line.slice(i + 1).split(' ');
  if (rest.length > 2 || rest.some((part) => part === '')) return { error: 'expected "value [timestamp]" after the labels' };
  const value = parseValue(rest[0] ?? '');
  if (value === null) return { error: `bad sample value "${rest[0]}"` };
  if (rest[1] !== undefined && !/^-?\d+$/.test(rest[1])) return { error: `bad timestamp "${rest[1]}"` };
  return { sample: { name, labels, value } };
}

const seriesKey = (name: string, labels: Record<string, string>) =>
  `${name}{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`)
    .join(',')}}`;

function histogramFamilyOf(name: string, families: Map<string, ParsedFamily>): string | null {
  for (const suffix of ['_bucket', '_sum', '_count']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      if (families.get(base)?.type === 'histogram') return base;
    }
  }
  return null;
}

function checkHistogram(family: ParsedFamily, errors: string[]): void {
  const groups = new Map<string, { buckets: [number, number][]; sum?: number; count?: number }>();
  for (const s of family.samples) {
    const { le, ...rest } = s.labels;
    const key = seriesKey('', rest);
    const group = groups.get(key) ?? { buckets: [] };
    groups.set(key, group);
    if (s.name.endsWith('_bucket')) {
      const bound = le === undefined ? null : parseValue(le);
      if (bound === null) errors.push(`${family.name}${key}: bucket without a numeric le label`);
      else group.buckets.push([bound, s.value]);
    } else if (le !== undefined) errors.push(`${s.name}${key}: only _bucket samples carry le`);
    else if (s.name.endsWith('_sum')) group.sum = s.value;
    else group.count = s.value;
  }
  for (const [key, group] of groups) {
    const where = `${family.name}${key}`;
    for (let i = 1; i < group.buckets.length; i++) {
      const [prevBound, prevCount] = group.buckets[i - 1] ?? [0, 0];
      const [bound, count] = group.buckets[i] ?? [0, 0];
      if (!(bound > prevBound)) errors.push(`${where}: le bounds are not strictly ascending`);
      if (count < prevCount) errors.push(`${where}: bucket counts are not cumulative`);
    }
    const last = group.buckets[group.buckets.length - 1];
    if (!last || last[0] !== Number.POSITIVE_INFINITY) errors.push(`${where}: the last bucket is not le="+Inf"`);
    if (group.sum === undefined) errors.push(`${where}: no _sum sample`);
    if (group.count === undefined) errors.push(`${where}: no _count sample`);
    else if (last && last[1] !== group.count) errors.push(`${where}: _count differs from the +Inf bucket`);
  }
}

export function lintExposition(text: string): LintResult {
  const errors: string[] = [];
  const families = new Map<string, ParsedFamily>();
  const seen = new Set<string>();
  let current: ParsedFamily | null = null;
  if (!text.endsWith('\n')) errors.push('the exposition does not end with a newline');
  if (text.includes('\r')) errors.push('the exposition contains a carriage return');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  const familyFor = (name: string): ParsedFamily => {
    let family = families.get(name);
    if (!family) {
      family = { name, help: null, type: null, samples: [] };
      families.set(name, family);
    }
    return family;
  };

  lines.forEach((line, index) => {
    const at = `line ${index + 1}`;
    if (line === '') {
      errors.push(`${at}: empty line`);
      return;
    }
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (line.startsWith('#')) {
      if (!meta) {
        errors.push(`${at}: comment that is neither HELP nor TYPE`);
        return;
      }
      const [, kind, name = '', rest = ''] = meta;
      if (!METRIC_NAME.test(name)) errors.push(`${at}: bad metric name ${name}`);
      const family = familyFor(name);
      if (family.samples.length > 0) errors.push(`${at}: ${kind} for ${name} after its samples`);
      if (kind === 'HELP') {
        if (family.help !== null) errors.push(`${at}: second HELP for ${name}`);
        if (rest.trim() === '') errors.push(`${at}: empty HELP for ${name}`);
        if (/\\[^\\n]/.test(rest.replace(/\\\\/g, ''))) errors.push(`${at}: bad escape in HELP for ${name}`);
        family.help = rest.replace(/\\n/g, '\n').replace(/\\\\/g, '\\');
      } else {
        if (family.type !== null) errors.push(`${at}: second TYPE for ${name}`);
        if (!TYPES.has(rest)) errors.push(`${at}: unknown type "${rest}" for ${name}`);
        family.type = rest;
        current = family;
      }
      return;
    }
    const parsed = parseSampleLine(line);
    if (parsed.error !== undefined) {
      errors.push(`${at}: ${parsed.error}`);
      return;
    }
    const { sample } = parsed;
    const familyName = histogramFamilyOf(sample.name, families) ?? sample.name;
    const family = families.get(familyName);
    if (!family || family.type === null || family.help === null) {
      errors.push(`${at}: ${sample.name} has no HELP and TYPE before it`);
      return;
    }
    if (family !== current) errors.push(`${at}: ${sample.name} is not grouped under its own TYPE line`);
    const key = seriesKey(sample.name, sample.labels);
    if (seen.has(key)) errors.push(`${at}: duplicate series ${key}`);
    seen.add(key);
    if ('le' in sample.labels && family.type !== 'histogram') errors.push(`${at}: le label outside a histogram`);
    if (family.type === 'counter' && !(sample.value >= 0)) errors.push(`${at}: counter ${sample.name} is negative or NaN`);
    family.samples.push(sample);
  });

  for (const family of families.values()) {
    if (family.samples.length === 0) errors.push(`${family.name}: declared without samples`);
    if (family.type === 'counter' && !family.name.endsWith('_total')) errors.push(`${family.name}: counter without _total`);
    if (family.type !== 'counter' && family.name.endsWith('_total')) errors.push(`${family.name}: _total on a ${family.type}`);
    if (family.type === 'histogram') checkHistogram(family, errors);
    for (const s of family.samples) {
      for (const label of Object.keys(s.labels)) if (!LABEL_NAME.test(label)) errors.push(`${s.name}: bad label ${label}`);
    }
  }
  return { families, errors };
}

/** The value of one series, for tests: `sampleValue(result, 'voyage_reports_queue_depth', { type: 'guest-list' })`. */
export function sampleValue(result: LintResult, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const family of result.families.values()) {
    for (const s of family.samples) {
      if (s.name === name && seriesKey('', s.labels) === seriesKey('', labels)) return s.value;
    }
  }
  return undefined;
}
