import {
  BarElement,
  CategoryScale,
  type ChartData,
  Chart as ChartJS,
  type ChartOptions,
  Legend,
  LinearScale,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';
import { useId } from 'react';
import { Bar, Line } from 'react-chartjs-2';
import { formatNumber } from '../../lib/format';
import type { OverviewPoint } from './api/overview';
import { bucketLabel } from './format';

// Only what these charts draw: Chart.js is tree-shaken to the registered parts.
ChartJS.register(CategoryScale, LinearScale, BarElement, LineElement, PointElement, Tooltip, Legend);

type NumericKey = {
  [K in keyof OverviewPoint]: OverviewPoint[K] extends number | null ? (K extends 'start' ? never : K) : never;
}[keyof OverviewPoint];

export interface SeriesSpec {
  key: NumericKey;
  label: string;
  color: string;
}

interface TimeChartProps {
  title: string;
  description: string;
  kind: 'bar' | 'line';
  points: readonly OverviewPoint[];
  bucket: 'hour' | 'day';
  series: readonly SeriesSpec[];
  stacked?: boolean;
  /** Formats a value in the tooltip and the data table. */
  format?: (value: number | null) => string;
  testId: string;
}

const defaultFormat = (value: number | null) => (value === null ? '—' : formatNumber(value));

/**
 * One chart over the range's buckets. A canvas says nothing to a screen reader, so it is labelled
 * as an image with the chart's description, and the same numbers are in a table under it.
 */
export function TimeChart({
  title,
  description,
  kind,
  points,
  bucket,
  series,
  stacked = false,
  format = defaultFormat,
  testId,
}: TimeChartProps) {
  const titleId = useId();
  const labels = points.map((p) => bucketLabel(p.start, bucket));
  const datasets = series.map((s) => ({
    label: s.label,
    data: points.map((p) => p[s.key]),
    backgroundColor: s.color,
    borderColor: s.color,
    borderWidth: kind === 'line' ? 2 : 0,
    pointRadius: kind === 'line' ? 2 : 0,
    spanGaps: true,
  }));
  const options: ChartOptions<'bar' | 'line'> = {
    responsive: true,
    maintainAspectRatio: false,
    // No animation: the charts refresh every few seconds, and motion there is only distraction.
    animation: false,
    interaction: { mode: 'index', intersect: false },
    plugins: {
      legend: { position: 'bottom', labels: { boxWidth: 12 } },
      tooltip: { callbacks: { label: (ctx) => `${ctx.dataset.label}: ${format(ctx.parsed.y)}` } },
    },
    scales: {
      x: { stacked, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
      y: { stacked, beginAtZero: true, ticks: { precision: 0 } },
    },
  };
  const ariaLabel = `${title}: ${description}`;

  return (
    <section className="card ops-chart" aria-labelledby={titleId} data-test={testId}>
      <h3 id={titleId} className="ops-chart-title">
        {title}
      </h3>
      <p className="muted small ops-chart-description">{description}</p>
      <div className="ops-chart-canvas">
        {kind === 'bar' ? (
          <Bar
            data={{ labels, datasets } as ChartData<'bar'>}
            options={options as ChartOptions<'bar'>}
            role="img"
            aria-label={ariaLabel}
          />
        ) : (
          <Line
            data={{ labels, datasets } as ChartData<'line'>}
            options={options as ChartOptions<'line'>}
            role="img"
            aria-label={ariaLabel}
          />
        )}
      </div>
      <details className="ops-chart-data">
        <summary>Data table</summary>
        <div className="ops-table-wrap">
          <table className="ops-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{bucket === 'hour' ? 'Hour' : 'Day (UTC)'}</th>
                {series.map((s) => (
                  <th scope="col" key={s.key}>
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points.map((p, i) => (
                <tr key={p.start}>
                  <th scope="row">{labels[i]}</th>
                  {series.map((s) => (
                    <td key={s.key}>{format(p[s.key])}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </section>
  );
}
