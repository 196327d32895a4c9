import { useCallback, useEffect, useMemo, useState } from 'react';
import { errorMessage, withQuery } from '../../api/client';
import type { EventDetail } from '../../api/types';
import { navigate, useLocation } from '../../app/router';
import { eventSectionPath } from '../../components/AppShell';
import { EventPage, EventPageHeader, eventPageTitleId } from '../../components/EventPage';
import { SelectField, TextField } from '../../components/Form';
import { Pagination } from '../../components/Pagination';
import { ErrorNotice, ErrorState, LoadingState } from '../../components/States';
import { formatNumber } from '../../lib/format';
import {
  activeFilters,
  NO_FILTERS,
  type OrderColumn,
  type OrderFilterChoices,
  type OrderFilters,
  type OrderList,
  useOrderFilterChoices,
  useOrders,
} from './api/orders';
import { ExportPanel } from './ExportPanel';
import './orders.css';

const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_LIMIT = 25;
const SEARCH_DELAY_MS = 300;
const FILTER_KEYS = ['status', 'ticket_type', 'date_from', 'date_to', 'q'] as const;

/** /admin/events/:id/orders. Mount it with `key={eventId}`. */
export function OrdersPage({ eventId }: { eventId: string }) {
  return (
    <EventPage
      eventId={eventId}
      title={(state) => (state.kind === 'ready' ? `Orders · ${state.event.workspace_name}` : 'Orders · Voyage Reports')}
    >
      {(event) =>
        event.can_read_reports ? (
          <Orders event={event} />
        ) : (
          <ErrorState
            testId="orders-no-access"
            title="No access to orders"
            message="You don't have permission to view this event's orders. Contact your workspace admin."
          />
        )
      }
    </EventPage>
  );
}

function filtersFrom(params: URLSearchParams): OrderFilters {
  const filters = { ...NO_FILTERS };
  for (const key of FILTER_KEYS) filters[key] = params.get(key) ?? '';
  return filters;
}

function positive(raw: string | null, fallback: number): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

type OrderCell = OrderList['data'][number][string];

function Orders({ event }: { event: EventDetail }) {
  const { pathname, searchParams } = useLocation();
  const filters = useMemo(() => filtersFrom(searchParams), [searchParams]);
  const page = positive(searchParams.get('page'), 1);
  const limitParam = positive(searchParams.get('limit'), DEFAULT_LIMIT);
  const limit = (PAGE_SIZES as readonly number[]).includes(limitParam) ? limitParam : DEFAULT_LIMIT;
  const list = useOrders(event.id, filters, page, limit);
  // The filters still work as free fields without their choices.
  const choices = useOrderFilterChoices(event.id).data ?? null;
  const [search, setSearch] = useState(filters.q);

  const go = useCallback(
    (next: OrderFilters, nextPage: number, nextLimit: number) => {
      navigate(
        withQuery(pathname, {
          ...activeFilters(next),
          page: nextPage > 1 ? nextPage : undefined,
          limit: nextLimit !== DEFAULT_LIMIT ? nextLimit : undefined,
        }),
        { replace: true },
      );
    },
    [pathname],
  );

  // The search box applies itself once typing pauses.
  useEffect(() => {
    if (search === filters.q) return;
    const timer = setTimeout(() => go({ ...filters, q: search }, 1, limit), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [search, filters, limit, go]);

  const setFilter = (key: keyof OrderFilters, value: string) => go({ ...filters, [key]: value }, 1, limit);
  // What Export captures: the filters on screen, including a search typed a moment ago.
  const currentFilters = useCallback(() => ({ ...filters, q: search }), [filters, search]);
  const shown = list.isError ? null : (list.data ?? null);
  const busy = list.isPlaceholderData;

  return (
    <section className="orders-page" data-test="orders-page" aria-labelledby={eventPageTitleId('orders')}>
      <EventPageHeader event={event} title="Orders" testId="orders">
        {event.can_export_orders === false ? (
          <p className="muted small orders-export-denied" data-test="orders-export-denied">
            Exporting orders is for workspace admins and organizers: the file holds buyers' contact details.
          </p>
        ) : (
          <ExportPanel eventId={event.id} currentFilters={currentFilters} reportsHref={eventSectionPath(event.id, 'reports')} />
        )}
      </EventPageHeader>

      <FiltersBar filters={filters} search={search} choices={choices} onSearch={setSearch} onChange={setFilter} />

      {list.isError && <ErrorNotice testId="orders-error">{errorMessage(list.error)}</ErrorNotice>}
      {list.isPending && <LoadingState label="Loading orders…" />}
      {shown && <OrdersTable list={shown} busy={busy} />}
      {shown && (
        <Pagination
          page={page}
          limit={limit}
          total={shown.total}
          shown={shown.data.length}
          hasMore={shown.hasMore}
          pageSizes={PAGE_SIZES}
          noun={['order', 'orders']}
          label="Order pages"
          testId="orders"
          onChange={(p, l) => go(filters, p, l)}
        />
      )}
    </section>
  );
}

interface FiltersBarProps {
  filters: OrderFilters;
  search: string;
  choices: OrderFilterChoices | null;
  onSearch: (value: string) => void;
  onChange: (key: keyof OrderFilters, value: string) => void;
}

function FiltersBar({ filters, search, choices, onSearch, onChange }: FiltersBarProps) {
  return (
    <form className="orders-filters" data-test="orders-filters" onSubmit={(e) => e.preventDefault()} aria-label="Order filters">
      <TextField
        label="Search"
        className="field orders-search"
        type="search"
        value={search}
        maxLength={100}
        placeholder="Order number, buyer or email"
        testId="orders-filter-search"
        onChange={onSearch}
      />
      <SelectField
        label="Status"
        value={filters.status}
        anyLabel="All statuses"
        options={choices?.statuses ?? []}
        testId="orders-filter-status"
        onChange={(value) => onChange('status', value)}
      />
      <SelectField
        label="Ticket type"
        value={filters.ticket_type}
        anyLabel="All ticket types"
        options={choices?.ticket_types ?? []}
        testId="orders-filter-ticket-type"
        onChange={(value) => onChange('ticket_type', value)}
      />
      <TextField
        label="Placed from"
        type="date"
        value={filters.date_from}
        max={filters.date_to || undefined}
        testId="orders-filter-from"
        onChange={(value) => onChange('date_from', value)}
      />
      <TextField
        label="Placed to"
        type="date"
        value={filters.date_to}
        min={filters.date_from || undefined}
        testId="orders-filter-to"
        onChange={(value) => onChange('date_to', value)}
      />
    </form>
  );
}

/** How a cell reads on screen; the CSV has the same value, unformatted. */
function displayCell(column: OrderColumn, value: OrderCell): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    return column.key === 'total' || column.key === 'refunded'
      ? value.toLocaleString(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 })
      : formatNumber(value);
  }
  if (column.key === 'placed_at') return value.slice(0, 16).replace('T', ' ');
  if (column.key === 'status') return value.replace('_', ' ');
  return value;
}

function cellClass(key: string, value: OrderCell): string | undefined {
  if (typeof value === 'number') return 'num';
  if (key === 'placed_at' || key === 'order_number') return 'nowrap';
  if (key === 'buyer_email') return 'email';
  return undefined;
}

function OrdersTable({ list, busy }: { list: OrderList; busy: boolean }) {
  if (list.total === 0) {
    return (
      <div className="empty" data-test="orders-empty">
        <p className="empty-title">No orders match these filters.</p>
      </div>
    );
  }
  return (
    <div className="jobs-table-wrap" aria-busy={busy}>
      <table className="jobs-table orders-table" data-test="orders-table">
        <thead>
          <tr>
            {list.columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                className={c.key === 'quantity' || c.key === 'total' || c.key === 'refunded' ? 'num' : undefined}
              >
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {list.data.map((row) => (
            <tr key={row.id} data-test="orders-row" data-order-id={row.id}>
              {list.columns.map((c) => {
                const value = row[c.key] ?? null;
                return (
                  <td
                    key={c.key}
                    className={cellClass(c.key, value)}
                    title={c.key === 'placed_at' && typeof value === 'string' ? value : undefined}
                  >
                    {displayCell(c, value)}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
