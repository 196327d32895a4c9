import { useId } from 'react';
import { formatNumber, plural } from '../lib/format';

interface PaginationProps {
  page: number;
  limit: number;
  total: number;
  /** Rows shown on this page. */
  shown: number;
  hasMore: boolean;
  /** The page sizes the "Per page" select offers. */
  pageSizes: readonly number[];
  /** What is counted, singular and plural: ['order', 'orders']. */
  noun: readonly [one: string, many: string];
  /** The navigation's accessible name: "Order pages". */
  label: string;
  /** The prefix of the data-test names: `${testId}-pagination`, `-pagination-summary`, `-page-size`, `-prev`, `-next`. */
  testId: string;
  onChange: (page: number, limit: number) => void;
}

/** The page numbers to offer: the first, the last, and two either side of the current one; null is a gap. */
export function pageNumbers(page: number, pages: number): (number | null)[] {
  const out: (number | null)[] = [];
  for (let n = 1; n <= pages; n++) {
    if (n === 1 || n === pages || Math.abs(n - page) <= 2) out.push(n);
    else if (out[out.length - 1] !== null) out.push(null);
  }
  return out;
}

/** "1–25 of 300 orders · Page 1 of 12", a page-size select, Previous, page numbers and Next. */
export function Pagination({ page, limit, total, shown, hasMore, pageSizes, noun, label, testId, onChange }: PaginationProps) {
  const selectId = useId();
  const pages = Math.max(1, Math.ceil(total / limit));
  const first = shown === 0 ? 0 : (page - 1) * limit + 1;
  const counted = plural(total, noun[0], noun[1]);
  return (
    <nav className="pagination" data-test={`${testId}-pagination`} aria-label={label}>
      <p className="pagination-summary" data-test={`${testId}-pagination-summary`}>
        {shown === 0
          ? counted
          : `${formatNumber(first)}–${formatNumber(first + shown - 1)} of ${counted} · Page ${formatNumber(page)} of ${formatNumber(pages)}`}
      </p>
      <div className="pagination-controls">
        <label htmlFor={selectId} className="inline-label">
          Per page
        </label>
        <select
          id={selectId}
          value={limit}
          data-test={`${testId}-page-size`}
          onChange={(e) => onChange(1, Number(e.target.value))}
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="btn btn-secondary btn-small"
          data-test={`${testId}-prev`}
          disabled={page <= 1}
          onClick={() => onChange(page - 1, limit)}
        >
          Previous
        </button>
        {pages > 1 && (
          <ol className="pagination-pages">
            {pageNumbers(page, pages).map((n, i) =>
              n === null ? (
                // biome-ignore lint/suspicious/noArrayIndexKey: a gap has no identity but its place
                <li key={`gap-${i}`} className="pagination-gap" aria-hidden="true">
                  …
                </li>
              ) : (
                <li key={n}>
                  <button
                    type="button"
                    className={n === page ? 'btn btn-primary btn-small' : 'btn btn-ghost btn-small'}
                    data-test={`${testId}-page-${n}`}
                    aria-current={n === page ? 'page' : undefined}
                    aria-label={`Page ${n}`}
                    onClick={() => onChange(n, limit)}
                  >
                    {formatNumber(n)}
                  </button>
                </li>
              ),
            )}
          </ol>
        )}
        <button
          type="button"
          className="btn btn-secondary btn-small"
          data-test={`${testId}-next`}
          disabled={!hasMore}
          onClick={() => onChange(page + 1, limit)}
        >
          Next
        </button>
      </div>
    </nav>
  );
}
