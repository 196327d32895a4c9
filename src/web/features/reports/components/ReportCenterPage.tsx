import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, isAbortError, isUnauthorized, withQuery } from '../../../api/client';
import { Link, navigate, useLocation } from '../../../app/router';
import { AppShell } from '../../../components/AppShell';
import { LoadingState } from '../../../components/States';
import { redirectToLogin } from '../../auth/redirect';
import { type EventDetail, getEvent } from '../../events/api';
import type { Job } from '../api/types';
import { useReportJobs } from '../api/useReportJobs';
import { GenerateReportDialog } from './GenerateReportDialog';
import { DEFAULT_PAGE_SIZE, JobsPagination, PAGE_SIZES } from './JobsPagination';
import { ReportJobsList } from './ReportJobsList';

type EventState =
  | { kind: 'loading' }
  | { kind: 'ready'; event: EventDetail }
  | { kind: 'not-found' }
  | { kind: 'error'; message: string };

function parsePage(raw: string | null): number {
  const page = Number(raw);
  return Number.isInteger(page) && page >= 1 ? page : 1;
}

function parseLimit(raw: string | null): number {
  const limit = Number(raw);
  return (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE;
}

/** /admin/events/:id/reports. Mount it with `key={eventId}`. */
export function ReportCenterPage({ eventId }: { eventId: string }) {
  const [state, setState] = useState<EventState>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    getEvent(eventId, controller.signal).then(
      (event) => setState({ kind: 'ready', event }),
      (err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        if (isUnauthorized(err)) redirectToLogin();
        else if (err instanceof ApiError && err.status === 404) setState({ kind: 'not-found' });
        else setState({ kind: 'error', message: errorMessage(err) });
      },
    );
    return () => controller.abort();
  }, [eventId]);

  useEffect(() => {
    if (state.kind === 'ready') document.title = `Reports · ${state.event.workspace_name}`;
    else if (state.kind === 'not-found') document.title = 'Event not found · Voyage Reports';
    else document.title = 'Reports · Voyage Reports';
  }, [state]);

  if (state.kind === 'loading') {
    return (
      <AppShell>
        <LoadingState label="Loading event…" />
      </AppShell>
    );
  }

  if (state.kind !== 'ready') {
    return (
      <AppShell>
        <div className="state state-error" data-test={state.kind === 'not-found' ? 'event-not-found' : 'event-error'}>
          <h1>{state.kind === 'not-found' ? 'Event not found' : 'Could not load this event'}</h1>
          <p role="alert">
            {state.kind === 'not-found' ? 'It may have been deleted, or you may not have access to it.' : state.message}
          </p>
          <Link to="/" className="btn btn-secondary">
            Back to events
          </Link>
        </div>
      </AppShell>
    );
  }

  return (
    <AppShell workspaceName={state.event.workspace_name}>
      <ReportCenter event={state.event} />
    </AppShell>
  );
}

function ReportCenter({ event }: { event: EventDetail }) {
  const { pathname, searchParams } = useLocation();
  const page = parsePage(searchParams.get('page'));
  const limit = parseLimit(searchParams.get('limit'));
  const jobs = useReportJobs(event.id, page, limit, event.can_read_reports);
  const [dialogOpen, setDialogOpen] = useState(false);
  const ctaRef = useRef<HTMLButtonElement>(null);

  const goTo = useCallback(
    (nextPage: number, nextLimit: number, replace = false) => {
      const query = {
        page: nextPage > 1 ? nextPage : undefined,
        limit: nextLimit !== DEFAULT_PAGE_SIZE ? nextLimit : undefined,
      };
      navigate(withQuery(pathname, query), { replace });
    },
    [pathname],
  );

  // A page past the end (reports expired or the page size changed): show the last one.
  const lastPage = Math.max(1, Math.ceil(jobs.total / limit));
  const pastTheEnd = jobs.loaded && jobs.error === null && jobs.jobs.length === 0 && page > lastPage;
  useEffect(() => {
    if (pastTheEnd) goTo(lastPage, limit, true);
  }, [pastTheEnd, lastPage, limit, goTo]);

  const closeDialog = useCallback(() => setDialogOpen(false), []);

  const onCreated = (job: Job) => {
    setDialogOpen(false);
    jobs.prepend(job);
    if (page !== 1) goTo(1, limit);
    else jobs.refresh();
  };

  return (
    <section className="report-center" data-test="report-center" aria-labelledby="report-center-h1">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/">All events</Link>
        <span aria-hidden="true"> / </span>
        <span aria-current="page">{event.name}</span>
      </nav>

      <div className="page-header">
        <div>
          <h1 id="report-center-h1" data-test="report-center-h1">
            Reports
          </h1>
          <p className="page-subtitle" data-test="report-center-event-name">
            {event.name}
          </p>
        </div>
        {event.can_read_reports && (
          <button
            ref={ctaRef}
            type="button"
            className="btn btn-primary"
            data-test="generate-report-cta"
            aria-haspopup="dialog"
            onClick={() => setDialogOpen(true)}
          >
            Generate new report
          </button>
        )}
      </div>

      {!event.can_read_reports ? (
        <p className="notice" data-test="report-center-no-access">
          Your role in this workspace cannot see reports. Ask a workspace admin for access.
        </p>
      ) : !jobs.loaded ? (
        <LoadingState label="Loading reports…" />
      ) : (
        <>
          {jobs.error && (
            <p className="notice notice-error" role="alert">
              {jobs.error}
            </p>
          )}
          <ReportJobsList jobs={jobs.jobs} />
          <JobsPagination page={page} limit={limit} total={jobs.total} hasMore={jobs.hasMore} onChange={goTo} />
        </>
      )}

      {dialogOpen && (
        <GenerateReportDialog
          eventId={event.id}
          timeZone={event.time_zone}
          returnFocusRef={ctaRef}
          onClose={closeDialog}
          onCreated={onCreated}
        />
      )}
    </section>
  );
}
