import type { ReactNode } from 'react';
import { ApiError, errorMessage } from '../api/client';
import type { EventDetail } from '../api/types';
import { Link } from '../app/router';
import { useEvent } from '../features/events/api/events';
import { useDocumentTitle } from '../lib/useDocumentTitle';
import { AppShell } from './AppShell';
import { ErrorState, LoadingState } from './States';

export type EventState =
  | { kind: 'loading' }
  | { kind: 'ready'; event: EventDetail }
  | { kind: 'not-found' }
  | { kind: 'error'; message: string };

/** The event of an /admin/events/:id/… page. */
function useEventState(eventId: string): EventState {
  const event = useEvent(eventId);
  if (event.data) return { kind: 'ready', event: event.data };
  if (!event.isError) return { kind: 'loading' };
  if (event.error instanceof ApiError && event.error.status === 404) return { kind: 'not-found' };
  return { kind: 'error', message: errorMessage(event.error) };
}

interface EventPageProps {
  eventId: string;
  /** The document title in each state. */
  title: (state: EventState) => string;
  /** The page, once the event is loaded; it is drawn inside the event's app shell. */
  children: (event: EventDetail) => ReactNode;
}

/**
 * An event page: loads the event, then shows the page in the event's app shell, or the loading
 * state, or why the event could not be shown. Mount it (or its page) with `key={eventId}`.
 */
export function EventPage({ eventId, title, children }: EventPageProps) {
  const state = useEventState(eventId);
  useDocumentTitle(title(state));

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
        <ErrorState
          testId={state.kind === 'not-found' ? 'event-not-found' : 'event-error'}
          title={state.kind === 'not-found' ? 'Event not found' : 'Could not load this event'}
          message={state.kind === 'not-found' ? 'It may have been deleted, or you may not have access to it.' : state.message}
        >
          <Link to="/admin/events" className="btn btn-secondary">
            Back to events
          </Link>
        </ErrorState>
      </AppShell>
    );
  }
  return (
    <AppShell workspaceName={state.event.workspace_name} event={state.event}>
      {children(state.event)}
    </AppShell>
  );
}

/** All events / the event: the trail above every event page's title. */
function EventBreadcrumb({ eventName }: { eventName: string }) {
  return (
    <nav className="breadcrumb" aria-label="Breadcrumb">
      <Link to="/admin/events">All events</Link>
      <span aria-hidden="true"> / </span>
      <span aria-current="page">{eventName}</span>
    </nav>
  );
}

/** The id (and data-test) of the h1 EventPageHeader draws for `testId`: the section's aria-labelledby. */
export const eventPageTitleId = (testId: string) => `${testId}-h1`;

/**
 * The top of an event page: the breadcrumb, the page's h1 (`eventPageTitleId`, for the section's
 * aria-labelledby and the specs), the event's name and time zone, and the page's actions.
 */
export function EventPageHeader({
  event,
  title,
  testId,
  children,
}: {
  event: EventDetail;
  title: string;
  testId: string;
  children?: ReactNode;
}) {
  return (
    <>
      <EventBreadcrumb eventName={event.name} />
      <div className="page-header">
        <div>
          <h1 id={eventPageTitleId(testId)} data-test={eventPageTitleId(testId)}>
            {title}
          </h1>
          <p className="page-subtitle" data-test={`${testId}-event-name`}>
            {event.name}
            <span data-test={`${testId}-time-zone`}> · times in {event.time_zone}</span>
          </p>
        </div>
        {children}
      </div>
    </>
  );
}
