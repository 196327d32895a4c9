import { formatNumber } from '../../lib/format';

/** "42 s", "3 min", "2 h 5 min", "3 d 4 h": the largest two units, for ages and durations. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} d` : `${days} d ${hours % 24} h`;
}

export function formatSeconds(value: number | null): string {
  if (value === null) return '—';
  return value < 10 ? `${value.toFixed(1)} s` : formatDuration(value);
}

export function formatPercent(value: number | null): string {
  if (value === null) return '—';
  return `${formatNumber(Math.round(value * 1000) / 10)}%`;
}

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** An x-axis label: the hour (local time) of an hourly bucket, the UTC day of a daily one. */
export function bucketLabel(start: number, bucket: 'hour' | 'day'): string {
  return bucket === 'hour' ? hourLabel.format(start) : dayLabel.format(start);
}
