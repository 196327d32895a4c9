import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { withQuery } from '../../../api/client';
import type { EventDetail } from '../../../api/types';
import { navigate, useLocation } from '../../../app/router';
import { EventPage, EventPageHeader, eventPageTitleId } from '../../../components/EventPage';
import { Pagination } from '../../../components/Pagination';
import { ErrorNotice, LoadingState } from '../../../components/States';
import { plural } from '../../../lib/format';
import { useSession } from '../../auth/session';
import type { Job, JobSort, SortOrder } from '../api/types';
import { useReportCatalog } from '../api/useReportCatalog';
import { useReportJobs } from '../api/useReportJobs';
import { narrowedRange } from '../dates';
import {
  DEEP_LINK_KEYS,
  DEFAULT_ORDER,
  DEFAULT_SORT,
  newReportGatePath,
  newReportHref,
  parseNewReportLink,
  SORTS,
} from '../links';
import { DownloadStartedNotice } from './DownloadStartedNotice';
import { type DialogStart, GenerateReportDialog } from './GenerateReportDialog';
import { JOB_STATUSES, JobFilters, type JobFilterValues } from './JobFilters';
import type { RowContext } from './ReportJobRow';
import { ReportJobsList } from './ReportJobsList';

/** The page sizes of the jobs list. */
const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;

function parsePage(raw: string | null): number {
  const page = Number(raw);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function parseLimit(raw: string | null): number {
  const limit = Number(raw);
  return (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE;
}

function parseSort(raw: string | null): JobSort {
  return (SORTS as readonly string[]).includes(raw ?? '') ? (raw as JobSort) : DEFAULT_SORT;
}

/** The list's filters from the URL: the caller's own reports unless ?scope=all. */
function parseFilters(scope: string | null, type: string | null, status: string | null): JobFilterValues {
  return {
    scope: scope === 'all' ? 'all' : 'mine',
    type: type || null,
    status: JOB_STATUSES.find((s) => s === status) ?? null,
  };
}

interface ListState {
  page: number;
  limit: number;
  sort: JobSort;
  order: SortOrder;
  filters: JobFilterValues;
}

function parseOrder(raw: string | null, sort: JobSort): SortOrder {
  if (raw === 'asc' || raw === 'desc') return raw;
  return sort === 'created_at' ? 'desc' : 'asc';
}

/** /admin/events/:id/reports. Mount it with `key={eventId}`. */
export function ReportCenterPage({ eventId }: { eventId: string }) {
  return (
    <EventPage
      eventId={eventId}
      title={(state) =>
        state.kind === 'ready'
          ? `Reports · ${state.event.workspace_name}`
          : state.kind === 'not-found'
            ? 'Event not found · Voyage Reports'
            : 'Reports · Voyage Reports'
      }
    >
      {(event) => <ReportCenter event={event} />}
    </EventPage>
  );
}

function ReportCenter({ event }: { event: EventDetail }) {
  const { pathname, searchParams } = useLocation();
  const page = parsePage(searchParams.get('page'));
  const limit = parseLimit(searchParams.get('limit'));
  const sort = parseSort(searchParams.get('sort'));
  const order = parseOrder(searchParams.get('order'), sort);
  const [scopeParam, typeParam, statusParam] = [searchParams.get('scope'), searchParams.get('type'), searchParams.get('status')];
  const filters = useMemo(() => parseFilters(scopeParam, typeParam, statusParam), [scopeParam, typeParam, statusParam]);
  const deepLink = useMemo(() => parseNewReportLink(searchParams), [searchParams]);
  const highlightId = searchParams.get('highlight');
  const downloadStarted = searchParams.get('download') === 'started';
  const jobs = useReportJobs(
    event.id,
    {
      page,
      limit,
      sort,
      order,
      scope: filters.scope,
      type: filters.type ?? undefined,
      status: filters.status ?? undefined,
    },
    event.can_read_reports,
  );
  const catalog = useReportCatalog(event.id, event.can_read_reports);
  const [localDialog, setLocalDialog] = useState<DialogStart | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const ctaRef = useRef<HTMLButtonElement>(null);
  const quotaId = useId();
  const { prepend, replace } = jobs;
  const userId = useSession().user.id;

  /** The list URL: filters, page, limit and sort (defaults left out); the dialog's deep link is dropped. */
  const listUrl = useCallback(
    (next: ListState) =>
      withQuery(pathname, {
        scope: next.filters.scope === 'all' ? 'all' : undefined,
        type: next.filters.type ?? undefined,
        status: next.filters.status ?? undefined,
        page: next.page > 1 ? next.page : undefined,
        limit: next.limit !== DEFAULT_PAGE_SIZE ? next.limit : undefined,
        sort: next.sort !== DEFAULT_SORT ? next.sort : undefined,
        order: next.sort === DEFAULT_SORT && next.order === DEFAULT_ORDER ? undefined : next.order,
      }),
    [pathname],
  );

  const goTo = useCallback(
    (nextPage: number, nextLimit: number, replaceEntry = false) => {
      navigate(listUrl({ page: nextPage, limit: nextLimit, sort, order, filters }), { replace: replaceEntry });
    },
    [listUrl, sort, order, filters],
  );

  const onSort = (column: JobSort) => {
    const nextOrder: SortOrder = column === sort ? (order === 'asc' ? 'desc' : 'asc') : column === 'created_at' ? 'desc' : 'asc';
    navigate(listUrl({ page: 1, limit, sort: column, order: nextOrder, filters }));
  };

  const onFilter = (next: JobFilterValues) => navigate(listUrl({ page: 1, limit, sort, order, filters: next }));

  // A page past the end (reports expired or the page size changed): show the last one.
  const lastPage = Math.max(1, Math.ceil(jobs.total / limit));
  const pastTheEnd = jobs.loaded && jobs.error === null && jobs.jobs.length === 0 && page > lastPage;
  useEffect(() => {
    if (pastTheEnd) goTo(lastPage, limit, true);
  }, [pastTheEnd, lastPage, limit, goTo]);

  // A deep link to a type this user's catalog does not have: the permission gate explains why.
  const deepLinkType = deepLink?.type ?? null;
  const gated =
    deepLinkType !== null &&
    (!event.can_read_reports || (catalog.status === 'ready' && !catalog.types.some((t) => t.key === deepLinkType)));
  useEffect(() => {
    if (gated && deepLinkType) navigate(newReportGatePath(deepLinkType, event.id), { replace: true });
  }, [gated, deepLinkType, event.id]);

  const deepLinkStart: DialogStart | null =
    deepLink && !gated && catalog.status !== 'loading' ? { typeKey: deepLink.type, prefill: deepLink.prefill } : null;
  const dialogStart = localDialog ?? deepLinkStart;
  const hasDeepLink = DEEP_LINK_KEYS.some((key) => searchParams.has(key));

  const closeDialog = useCallback(() => {
    setLocalDialog(null);
    if (hasDeepLink) navigate(listUrl({ page, limit, sort, order, filters }), { replace: true });
  }, [hasDeepLink, listUrl, page, limit, sort, order, filters]);

  /** New jobs (newest first): at the top of the newest-first first page, at once (the mutation refreshes the list). */
  const onCreated = useCallback(
    (created: Job[]) => {
      setLocalDialog(null);
      prepend(created);
      const first = created[0];
      setAnnouncement(
        created.length === 1 && first ? `${first.type_name || first.type} report queued.` : `${created.length} reports queued.`,
      );
      // A new job is the caller's own and queued: a type or status filter would hide it.
      const target = listUrl({
        page: 1,
        limit,
        sort: DEFAULT_SORT,
        order: DEFAULT_ORDER,
        filters: { scope: filters.scope, type: null, status: null },
      });
      if (target !== window.location.pathname + window.location.search) navigate(target, { replace: hasDeepLink });
    },
    [prepend, listUrl, limit, hasDeepLink, filters.scope],
  );

  const rowContext: RowContext = useMemo(
    () => ({
      eventId: event.id,
      quotaRemaining: jobs.quota?.remaining ?? null,
      onCreated,
      onUpdated: replace,
      narrowHref: (job: Job) => {
        const range = narrowedRange(job.params.date_from, job.params.date_to);
        return newReportHref(event.id, {
          type: job.type,
          params: range ? { ...job.params, date_from: range.from, date_to: range.to } : job.params,
          notify: job.notify_emails,
          narrow: range ? 'narrowed' : 'pick',
        });
      },
      highlightId,
      // As the server decides: the requester and workspace admins cancel, retry and resend.
      canManage: (job: Job) => job.requested_by === userId || event.role === 'admin',
      runnerPaused: jobs.runnerPaused,
      timeZone: event.time_zone,
    }),
    [event.time_zone, event.id, event.role, userId, jobs.quota?.remaining, onCreated, replace, highlightId, jobs.runnerPaused],
  );

  const quota = jobs.quota;
  const quotaExhausted = quota !== null && quota.remaining <= 0;

  return (
    <section className="report-center" data-test="report-center" aria-labelledby={eventPageTitleId('report-center')}>
      <EventPageHeader event={event} title="Reports" testId="report-center">
        {event.can_read_reports && (
          <div className="page-actions">
            <button
              ref={ctaRef}
              type="button"
              className="btn btn-primary"
              data-test="generate-report-cta"
              aria-haspopup="dialog"
              aria-disabled={quotaExhausted ? true : undefined}
              aria-describedby={quota ? quotaId : undefined}
              onClick={() => {
                if (!quotaExhausted) setLocalDialog({});
              }}
            >
              Generate new report
            </button>
            {quota && (
              <p
                id={quotaId}
                className={quotaExhausted ? 'quota quota-exhausted' : 'quota'}
                data-test="report-quota"
                data-remaining={quota.remaining}
              >
                {quotaExhausted
                  ? `Daily limit reached: ${plural(quota.limit, 'report', 'reports')} in 24 hours. Failed and cancelled reports don't count; you can generate more once earlier ones are a day old.`
                  : `${plural(quota.remaining, 'report', 'reports')} left today`}
              </p>
            )}
          </div>
        )}
      </EventPageHeader>

      <p className="visually-hidden" role="status" data-test="report-center-announcement">
        {announcement}
      </p>

      {!event.can_read_reports ? (
        <p className="notice" data-test="report-center-no-access">
          Your role in this workspace cannot see reports. Ask a workspace admin for access.
        </p>
      ) : !jobs.loaded ? (
        <LoadingState label="Loading reports…" />
      ) : (
        <>
          {downloadStarted && <DownloadStartedNotice job={jobs.jobs.find((j) => j.job_id === highlightId)} />}
          {jobs.runnerPaused && (
            <p className="notice notice-warning" data-test="report-center-paused">
              Report generation is paused by the operator. Queued reports will start when it resumes; nothing is lost.
            </p>
          )}
          {jobs.error && <ErrorNotice>{jobs.error}</ErrorNotice>}
          {catalog.status === 'error' && <ErrorNotice>Report types could not be loaded: {catalog.message}</ErrorNotice>}
          <JobFilters value={filters} types={catalog.types} onChange={onFilter} />
          <ReportJobsList
            filtered={filters.scope === 'all' ? filters.type !== null || filters.status !== null : true}
            jobs={jobs.jobs}
            sort={sort}
            order={order}
            onSort={onSort}
            context={rowContext}
          />
          <Pagination
            page={page}
            limit={limit}
            total={jobs.total}
            hasMore={jobs.hasMore}
            shown={jobs.jobs.length}
            pageSizes={PAGE_SIZES}
            noun={['report', 'reports']}
            label="Report pages"
            testId="report-jobs"
            onChange={goTo}
          />
        </>
      )}

      {dialogStart && (
        <GenerateReportDialog
          key={localDialog ? 'local' : searchParams.toString()}
          eventId={event.id}
          eventName={event.name}
          timeZone={event.time_zone}
          catalog={catalog}
          start={dialogStart}
          returnFocusRef={ctaRef}
          onClose={closeDialog}
          onCreated={(job) => onCreated([job])}
        />
      )}
    </section>
  );
}
