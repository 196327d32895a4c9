import { type ReactNode, useState } from 'react';
import { errorMessage } from '../../api/client';
import { Link } from '../../app/router';
import { ErrorNotice, LoadingState } from '../../components/States';
import { formatBytes, formatDateTime, formatNumber } from '../../lib/format';
import { jobLink, type OverviewRange, useOverview } from './api/overview';
import { formatDuration, formatPercent, formatSeconds } from './format';
import { SwitchPanel } from './SwitchPanel';
import { TimeChart } from './TimeChart';
import './ops.css';

const COLORS = {
  blue: '#2f5bea',
  green: '#16a34a',
  red: '#dc2626',
  orange: '#ea7a0c',
  grey: '#8a93a3',
  purple: '#7c3aed',
  teal: '#0d9488',
};

const RANGES: { value: OverviewRange; label: string }[] = [
  { value: '24h', label: 'Last 24 hours' },
  { value: '7d', label: 'Last 7 days' },
];

function Stat({ label, value, hint, testId }: { label: string; value: ReactNode; hint?: ReactNode; testId: string }) {
  return (
    <div className="card ops-stat" data-test={testId}>
      <div className="ops-stat-label">{label}</div>
      <div className="ops-stat-value" data-test="ops-stat-value">
        {value}
      </div>
      {hint && <div className="ops-stat-hint muted small">{hint}</div>}
    </div>
  );
}

/**
 * A titled panel with a table of rows, or one line when there are none. Its h2 labels it
 * (`${testId}-title`); the empty line is `${testId}-empty`.
 */
function TablePanel({
  title,
  testId,
  columns,
  empty,
  rows,
}: {
  title: string;
  testId: string;
  columns: readonly string[];
  empty: string;
  rows: ReactNode[];
}) {
  return (
    <section className="card ops-panel" aria-labelledby={`${testId}-title`} data-test={testId}>
      <h2 id={`${testId}-title`} className="ops-section-title">
        {title}
      </h2>
      {rows.length === 0 ? (
        <p className="muted" data-test={`${testId}-empty`}>
          {empty}
        </p>
      ) : (
        <div className="ops-table-wrap">
          <table className="ops-table">
            <thead>
              <tr>
                {columns.map((column) => (
                  <th key={column} scope="col">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{rows}</tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The figures of GET /v1/admin/ops/overview: switches, headline numbers, charts, queue, failures. */
export function OpsDashboard() {
  const [range, setRange] = useState<OverviewRange>('24h');
  const overview = useOverview(range);
  const data = overview.data;
  const error = overview.isError ? errorMessage(overview.error) : null;

  if (!data) {
    return error ? <ErrorNotice>{error}</ErrorNotice> : <LoadingState label="Loading the figures…" />;
  }

  const { totals, queue, settings, series, bucket } = data;
  const oldest = queue.oldest;
  const rangeLabel = data.range === '24h' ? 'last 24 hours' : 'last 7 days';

  return (
    <div className="ops" data-test="ops-dashboard" data-range={data.range}>
      <div className="ops-toolbar">
        <fieldset className="ops-range">
          <legend className="visually-hidden">Time range</legend>
          {RANGES.map((r) => (
            <button
              key={r.value}
              type="button"
              className={r.value === range ? 'btn btn-primary btn-small' : 'btn btn-secondary btn-small'}
              aria-pressed={r.value === range}
              onClick={() => setRange(r.value)}
              data-test={`ops-range-${r.value}`}
            >
              {r.label}
            </button>
          ))}
        </fieldset>
        <span className="muted small" aria-live="polite" data-test="ops-updated-at">
          Updated {formatDateTime(data.generated_at)}
        </span>
        <button type="button" className="btn btn-ghost btn-small" onClick={() => void overview.refetch()} data-test="ops-refresh">
          Refresh
        </button>
      </div>
      {error && <ErrorNotice>Could not refresh: {error}</ErrorNotice>}
      {(settings.runner_paused || settings.new_requests_disabled) && (
        <p className="notice notice-info" data-test="ops-switch-notice">
          {settings.runner_paused && 'The report runner is paused: queued reports wait. '}
          {settings.new_requests_disabled && 'New report requests are refused. '}
          Completed files stay downloadable.
        </p>
      )}

      <SwitchPanel settings={settings} />

      <h2 className="ops-section-title">Now</h2>
      <div className="ops-stats">
        <Stat
          label="Queue depth"
          value={formatNumber(queue.depth)}
          hint={`${formatNumber(queue.stuck)} taking longer than usual`}
          testId="ops-stat-queue-depth"
        />
        <Stat
          label="Oldest queued job"
          value={oldest ? formatDuration(oldest.age_seconds) : '—'}
          hint={
            oldest ? (
              <Link to={jobLink(oldest.event_id, oldest.job_id)} data-test="ops-oldest-job-link">
                {oldest.type_name} · {oldest.event_name ?? oldest.event_id}
              </Link>
            ) : (
              'The queue is empty'
            )
          }
          testId="ops-stat-oldest"
        />
        <Stat label="Running" value={formatNumber(queue.running)} testId="ops-stat-running" />
      </div>

      <h2 className="ops-section-title">In the {rangeLabel}</h2>
      <div className="ops-stats">
        <Stat
          label="Reports asked for"
          value={formatNumber(totals.jobs_created)}
          hint={`${formatNumber(totals.jobs_completed)} completed`}
          testId="ops-stat-created"
        />
        <Stat
          label="Failed"
          value={formatNumber(totals.jobs_failed)}
          hint={`Failure rate ${formatPercent(totals.failure_rate)}`}
          testId="ops-stat-failed"
        />
        <Stat
          label="Retries"
          value={formatNumber(totals.retries_manual + totals.retries_automatic)}
          hint={`${formatNumber(totals.retries_automatic)} automatic after a stuck queue`}
          testId="ops-stat-retries"
        />
        <Stat
          label="Run time"
          value={formatSeconds(totals.run_avg_seconds)}
          hint={`mean; longest ${formatSeconds(totals.run_max_seconds)}; queue wait ${formatSeconds(totals.queue_wait_avg_seconds)}`}
          testId="ops-stat-run-time"
        />
        <Stat
          label="Download permission failures"
          value={formatNumber(totals.download_permission_denied)}
          hint={`${formatNumber(totals.download_bad_signature)} bad signatures`}
          testId="ops-stat-permission-failures"
        />
        <Stat
          label="Expired-link hits"
          value={formatNumber(totals.download_link_expired)}
          hint={`${formatNumber(totals.downloads_served)} downloads served`}
          testId="ops-stat-expired-links"
        />
        <Stat
          label="Exported"
          value={formatBytes(totals.bytes_exported)}
          hint={`${formatNumber(totals.rows_exported)} rows`}
          testId="ops-stat-exported"
        />
        <Stat
          label="Emails"
          value={formatNumber(totals.emails_sent)}
          hint={`${formatNumber(totals.emails_bounced)} bounced, ${formatNumber(totals.emails_failed)} failed`}
          testId="ops-stat-emails"
        />
      </div>

      <div className="ops-charts">
        <TimeChart
          title="Jobs"
          description={`Report jobs that finished per ${bucket}, by outcome.`}
          kind="bar"
          stacked
          points={series}
          bucket={bucket}
          series={[
            { key: 'jobs_completed', label: 'Completed', color: COLORS.green },
            { key: 'jobs_failed', label: 'Failed', color: COLORS.red },
            { key: 'jobs_cancelled', label: 'Cancelled', color: COLORS.grey },
          ]}
          testId="ops-chart-jobs"
        />
        <TimeChart
          title="Queue depth and running jobs"
          description={`Jobs waiting in the queue and jobs running at the end of each ${bucket}.`}
          kind="line"
          points={series}
          bucket={bucket}
          series={[
            { key: 'queue_depth', label: 'Queued', color: COLORS.orange },
            { key: 'running', label: 'Running', color: COLORS.blue },
          ]}
          testId="ops-chart-queue"
        />
        <TimeChart
          title="Durations"
          description={`Mean and longest queue wait and run time per ${bucket}, in seconds.`}
          kind="line"
          points={series}
          bucket={bucket}
          format={formatSeconds}
          series={[
            { key: 'queue_wait_avg_seconds', label: 'Queue wait (mean)', color: COLORS.orange },
            { key: 'run_avg_seconds', label: 'Run time (mean)', color: COLORS.blue },
            { key: 'run_max_seconds', label: 'Run time (longest)', color: COLORS.purple },
          ]}
          testId="ops-chart-durations"
        />
        <TimeChart
          title="Failures and retries"
          description={`Stuck-queue, size-limit and interrupted failures, and retries, per ${bucket}.`}
          kind="bar"
          points={series}
          bucket={bucket}
          series={[
            { key: 'stuck_queue_failures', label: 'Stuck in queue', color: COLORS.orange },
            { key: 'size_limit_failures', label: 'Size limit', color: COLORS.purple },
            { key: 'interrupted_failures', label: 'Interrupted (dead-lettered)', color: COLORS.red },
            { key: 'retries_manual', label: 'Retries', color: COLORS.grey },
            { key: 'retries_automatic', label: 'Automatic retries', color: COLORS.teal },
          ]}
          testId="ops-chart-failures"
        />
        <TimeChart
          title="Downloads"
          description={`Answers to download links per ${bucket}.`}
          kind="bar"
          stacked
          points={series}
          bucket={bucket}
          series={[
            { key: 'downloads_served', label: 'Served', color: COLORS.green },
            { key: 'download_permission_denied', label: 'Permission denied', color: COLORS.red },
            { key: 'download_bad_signature', label: 'Bad signature', color: COLORS.purple },
            { key: 'download_link_expired', label: 'Link expired', color: COLORS.orange },
            { key: 'download_other', label: 'Other', color: COLORS.grey },
          ]}
          testId="ops-chart-downloads"
        />
        <TimeChart
          title="Emails and swept files"
          description={`Emails sent, bounced and failed, and report files swept, per ${bucket}.`}
          kind="bar"
          points={series}
          bucket={bucket}
          series={[
            { key: 'emails_sent', label: 'Sent', color: COLORS.blue },
            { key: 'emails_bounced', label: 'Bounced', color: COLORS.orange },
            { key: 'emails_failed', label: 'Failed', color: COLORS.red },
            { key: 'artifacts_swept', label: 'Files swept', color: COLORS.grey },
          ]}
          testId="ops-chart-emails"
        />
        <TimeChart
          title="Rows exported"
          description={`Rows written into completed report files per ${bucket}.`}
          kind="bar"
          points={series}
          bucket={bucket}
          series={[{ key: 'rows_exported', label: 'Rows', color: COLORS.teal }]}
          testId="ops-chart-rows"
        />
      </div>

      <TablePanel
        title="Current queue"
        testId="ops-queue"
        columns={['Job', 'Event', 'Status', 'Waiting for', 'Progress']}
        empty="No report is queued or running."
        rows={queue.jobs.map((job) => (
          <tr key={job.job_id} data-test="ops-queue-row" data-job-id={job.job_id}>
            <td>
              <Link to={jobLink(job.event_id, job.job_id)}>{job.type_name}</Link>
              <div className="muted small">{job.job_id}</div>
            </td>
            <td>
              {job.event_name ?? job.event_id}
              {job.workspace_name && <div className="muted small">{job.workspace_name}</div>}
            </td>
            <td>
              <span className={`pill pill-${job.status}`}>{job.status}</span>
              {job.stuck && <div className="small ops-warn">taking longer than usual</div>}
              {job.cancel_requested && <div className="small muted">cancel requested</div>}
            </td>
            <td>{formatDuration(job.age_seconds)}</td>
            <td>
              {formatNumber(job.rows_done)}
              {job.rows_expected !== null && ` / ${formatNumber(job.rows_expected)}`} rows
            </td>
          </tr>
        ))}
      />

      <TablePanel
        title="Recent failures"
        testId="ops-failures"
        columns={['When', 'Job', 'Reason', 'Retry']}
        empty={`No report failed in the ${rangeLabel}.`}
        rows={data.failures.map((f) => (
          <tr key={f.job_id} data-test="ops-failure-row" data-job-id={f.job_id}>
            <td>{formatDateTime(f.finished_at)}</td>
            <td>
              <Link to={jobLink(f.event_id, f.job_id)} data-test="ops-failure-job-link">
                {f.type_name}
              </Link>
              <div className="muted small">
                {f.event_name ?? f.event_id}
                {f.workspace_name && ` · ${f.workspace_name}`}
              </div>
            </td>
            <td>
              <code className="small" data-test="ops-failure-code">
                {f.failure_code ?? 'unknown'}
              </code>
              <div>{f.failure_reason}</div>
            </td>
            <td>{f.retried_by ? <Link to={jobLink(f.event_id, f.retried_by)}>Retry job</Link> : '—'}</td>
          </tr>
        ))}
      />
    </div>
  );
}
