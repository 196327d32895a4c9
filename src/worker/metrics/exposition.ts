// The Prometheus text exposition format, version 0.0.4: one HELP and one TYPE line per family, then
// its samples. Pure (no Workers APIs), so the Node-side `scripts/check-ops.ts` can render a fixture
// with it and hand the text to `promtool check metrics`.

export const EXPOSITION_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  labels?: Labels;
  value: number;
}

export interface ScalarFamily {
  type: 'counter' | 'gauge';
  name: string;
  help: string;
  samples: readonly Sample[];
}

export interface HistogramSeries {
  labels?: Labels;
  /** Observations at or below each bound of the family's `buckets`, in the same order (cumulative). */
  cumulative: readonly number[];
  count: number;
  sum: number;
}

export interface HistogramFamily {
  type: 'histogram';
  name: string;
  help: string;
  /** Upper bounds, ascending; `+Inf` is added when rendering. */
  buckets: readonly number[];
  series: readonly HistogramSeries[];
}

export type MetricFamily = ScalarFamily | HistogramFamily;

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

export function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return '+Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(value);
}

function labelText(labels: Labels | undefined, extra?: [string, string]): string {
  const pairs = Object.entries(labels ?? {});
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return '';
  return `{${pairs.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;
}

export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`, `# TYPE ${family.name} ${family.type}`);
    if (family.type !== 'histogram') {
      for (const s of family.samples) lines.push(`${family.name}${labelText(s.labels)} ${formatValue(s.value)}`);
      continue;
    }
    for (const s of family.series) {
      family.buckets.forEach((bound, i) => {
        lines.push(
          `${family.name}_bucket${labelText(s.labels, ['le', formatValue(bound)])} ${formatValue(s.cumulative[i] ?? 0)}`,
        );
      });
      lines.push(`${family.name}_bucket${labelText(s.labels, ['le', '+Inf'])} ${formatValue(s.count)}`);
      lines.push(`${family.name}_sum${labelText(s.labels)} ${formatValue(s.sum)}`);
      lines.push(`${family.name}_count${labelText(s.labels)} ${formatValue(s.count)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
