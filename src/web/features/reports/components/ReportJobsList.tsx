import type { Job, JobSort, SortOrder } from '../api/types';
import { ReportJobRow, type RowContext } from './ReportJobRow';

export const SORT_LABELS: Record<JobSort, string> = { created_at: 'Created', status: 'Status', type: 'Report' };

interface ReportJobsListProps {
  jobs: Job[];
  sort: JobSort;
  order: SortOrder;
  onSort: (sort: JobSort) => void;
  context: RowContext;
  /** The list is narrowed (the caller's own, a type, a status): an empty one says so. */
  filtered: boolean;
}

function SortHeader({
  column,
  label,
  sort,
  order,
  onSort,
  className,
}: {
  column: JobSort;
  label: string;
  sort: JobSort;
  order: SortOrder;
  onSort: (sort: JobSort) => void;
  className?: string;
}) {
  const active = sort === column;
  return (
    <th scope="col" className={className} aria-sort={active ? (order === 'asc' ? 'ascending' : 'descending') : undefined}>
      <button
        type="button"
        className={active ? 'sort-button sort-button-active' : 'sort-button'}
        data-test={`report-jobs-sort-${column}`}
        onClick={() => onSort(column)}
      >
        {label}
        <span className="sort-indicator" aria-hidden="true">
          {active ? (order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}

/** The jobs of one page as a table: status, report and parameters, times, requester, result and actions. */
export function ReportJobsList({ jobs, sort, order, onSort, context, filtered }: ReportJobsListProps) {
  if (jobs.length === 0 && filtered) {
    return (
      <div className="empty" data-test="report-jobs-empty">
        <p className="empty-title">No reports match these filters</p>
        <p className="muted">Reports other people asked for are listed under Requested by: Everyone.</p>
      </div>
    );
  }
  if (jobs.length === 0) {
    return (
      <div className="empty" data-test="report-jobs-empty">
        <p className="empty-title">No reports yet</p>
        <p className="muted">Generate a report and it will appear here, with its progress and download link.</p>
      </div>
    );
  }
  const direction = order === 'asc' ? 'ascending' : 'descending';
  return (
    <div className="jobs-table-wrap">
      <table className="jobs-table" data-test="report-jobs-list">
        <caption className="visually-hidden">
          Reports, sorted by {SORT_LABELS[sort].toLowerCase()}, {direction}. Column headers with buttons change the order.
        </caption>
        <thead>
          <tr>
            <SortHeader column="status" label="Status" sort={sort} order={order} onSort={onSort} className="col-status" />
            <SortHeader column="type" label="Report" sort={sort} order={order} onSort={onSort} className="col-report" />
            <SortHeader column="created_at" label="Created" sort={sort} order={order} onSort={onSort} className="col-time" />
            <th scope="col" className="col-time">
              Updated
            </th>
            <th scope="col" className="col-user">
              Requested by
            </th>
            <th scope="col" className="col-outcome">
              Result
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((job) => (
            <ReportJobRow key={job.job_id} job={job} context={context} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
