import { useId } from 'react';
import type { JobScope, JobStatus, ReportType } from '../api/types';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'expired'];

export interface JobFilterValues {
  scope: JobScope;
  type: string | null;
  status: JobStatus | null;
}

/** "Mine / everyone's", type and status above the jobs list; each change is a new URL (page 1). */
export function JobFilters({
  value,
  types,
  onChange,
}: {
  value: JobFilterValues;
  types: readonly ReportType[];
  onChange: (next: JobFilterValues) => void;
}) {
  const id = useId();
  return (
    <fieldset className="job-filters" data-test="report-jobs-filters">
      <legend className="visually-hidden">Filter reports</legend>
      <div className="job-filter">
        <label htmlFor={`${id}-scope`}>Requested by</label>
        <select
          id={`${id}-scope`}
          data-test="report-jobs-filter-scope"
          value={value.scope}
          onChange={(e) => onChange({ ...value, scope: e.target.value === 'all' ? 'all' : 'mine' })}
        >
          <option value="mine">Me</option>
          <option value="all">Everyone</option>
        </select>
      </div>
      <div className="job-filter">
        <label htmlFor={`${id}-type`}>Report</label>
        <select
          id={`${id}-type`}
          data-test="report-jobs-filter-type"
          value={value.type ?? ''}
          onChange={(e) => onChange({ ...value, type: e.target.value || null })}
        >
          <option value="">All reports</option>
          {types.map((t) => (
            <option key={t.key} value={t.key}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div className="job-filter">
        <label htmlFor={`${id}-status`}>Status</label>
        <select
          id={`${id}-status`}
          data-test="report-jobs-filter-status"
          value={value.status ?? ''}
          onChange={(e) => {
            const status = JOB_STATUSES.find((s) => s === e.target.value) ?? null;
            onChange({ ...value, status });
          }}
        >
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </div>
    </fieldset>
  );
}
