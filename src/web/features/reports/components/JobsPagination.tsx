import { useId } from 'react';
import { formatNumber, plural } from '../../../lib/format';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

interface JobsPaginationProps {
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  /** Rows shown on this page. */
  shown: number;
  onChange: (page: number, limit: number) => void;
}

export function JobsPagination({ page, limit, total, hasMore, shown, onChange }: JobsPaginationProps) {
  const selectId = useId();
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = shown === 0 ? 0 : (page - 1) * limit + 1;
  const last = shown === 0 ? 0 : first + shown - 1;
  return (
    <nav className="pagination" data-test="report-jobs-pagination" aria-label="Report pages">
      <p className="pagination-summary" data-test="report-jobs-pagination-summary">
        {shown === 0
          ? plural(total, 'report', 'reports')
          : `${formatNumber(first)}–${formatNumber(last)} of ${plural(total, 'report', 'reports')} · Page ${formatNumber(page)} of ${formatNumber(pages)}`}
      </p>
      <div className="pagination-controls">
        <label htmlFor={selectId} className="inline-label">
          Per page
        </label>
        <select
          id={selectId}
          value={limit}
          data-test="report-jobs-page-size"
          onChange={(e) => onChange(1, Number(e.target.value))}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          data-test="report-jobs-prev"
          disabled={page <= 1}
          onClick={() => onChange(page - 1, limit)}
        >
          Previous
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          data-test="report-jobs-next"
          disabled={!hasMore}
          onClick={() => onChange(page + 1, limit)}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
