import { useId } from 'react';
import { plural } from '../../../lib/format';

export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 25;

interface JobsPaginationProps {
  page: number;
  limit: number;
  total: number;
  hasMore: boolean;
  onChange: (page: number, limit: number) => void;
}

export function JobsPagination({ page, limit, total, hasMore, onChange }: JobsPaginationProps) {
  const selectId = useId();
  const pages = Math.max(1, Math.ceil(total / limit));
  return (
    <nav className="pagination" data-test="report-jobs-pagination" aria-label="Report pages">
      <p className="pagination-summary">{`Page ${page} of ${pages} · ${plural(total, 'report', 'reports')}`}</p>
      <div className="pagination-controls">
        <label htmlFor={selectId} className="inline-label">
          Per page
        </label>
        <select id={selectId} value={limit} onChange={(e) => onChange(1, Number(e.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={page <= 1}
          onClick={() => onChange(page - 1, limit)}
        >
          Previous
        </button>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          disabled={!hasMore}
          onClick={() => onChange(page + 1, limit)}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
