import { SelectField, type SelectOption } from '../../../components/Form';
import type { JobScope, JobStatus, ReportType } from '../api/types';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'completed', 'failed', 'cancelled', 'expired'];

const SCOPES: SelectOption[] = [
  { value: 'mine', label: 'Me' },
  { value: 'all', label: 'Everyone' },
];

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
  return (
    <fieldset className="job-filters" data-test="report-jobs-filters">
      <legend className="visually-hidden">Filter reports</legend>
      <SelectField
        label="Requested by"
        className="job-filter"
        testId="report-jobs-filter-scope"
        value={value.scope}
        options={SCOPES}
        onChange={(scope) => onChange({ ...value, scope: scope === 'all' ? 'all' : 'mine' })}
      />
      <SelectField
        label="Report"
        className="job-filter"
        testId="report-jobs-filter-type"
        value={value.type ?? ''}
        anyLabel="All reports"
        options={types.map((t) => ({ value: t.key, label: t.name }))}
        onChange={(type) => onChange({ ...value, type: type || null })}
      />
      <SelectField
        label="Status"
        className="job-filter"
        testId="report-jobs-filter-status"
        value={value.status ?? ''}
        anyLabel="Any status"
        options={JOB_STATUSES.map((s) => ({ value: s, label: s }))}
        onChange={(picked) => onChange({ ...value, status: JOB_STATUSES.find((s) => s === picked) ?? null })}
      />
    </fieldset>
  );
}
