import { errorMessage } from '../../api/client';
import type { EventList } from '../../api/types';
import { Link } from '../../app/router';
import { AppShell } from '../../components/AppShell';
import { ErrorNotice, LoadingState } from '../../components/States';
import { formatDateRange, plural } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { reportsPath, useEvents } from './api/events';

type State = { kind: 'loading' } | { kind: 'ready'; list: EventList } | { kind: 'error'; message: string };

export function EventsPage() {
  const events = useEvents();
  const state: State = events.isError
    ? { kind: 'error', message: errorMessage(events.error) }
    : events.data
      ? { kind: 'ready', list: events.data }
      : { kind: 'loading' };

  useDocumentTitle('Events · Voyage Reports');

  return (
    <AppShell>
      <div className="page-header">
        <div>
          <h1>Events</h1>
          <p className="muted">Choose an event to open its report center.</p>
        </div>
      </div>

      {state.kind === 'loading' && <LoadingState label="Loading events…" />}
      {state.kind === 'error' && <ErrorNotice>{state.message}</ErrorNotice>}
      {state.kind === 'ready' &&
        (state.list.data.length === 0 ? (
          <div className="empty">
            <p>You have no events yet.</p>
          </div>
        ) : (
          <>
            <ul className="card-list" data-test="events-list">
              {state.list.data.map((event) => (
                <li key={event.id} className="card event-card" data-test="event-row" data-event-id={event.id}>
                  <div className="event-main">
                    <h2 className="event-name">
                      <Link to={reportsPath(event.id)} data-test="event-link">
                        {event.name}
                      </Link>
                    </h2>
                    <p className="muted">
                      {event.workspace_name} · {formatDateRange(event.starts_at, event.ends_at, event.time_zone)} ·{' '}
                      {event.time_zone}
                    </p>
                  </div>
                </li>
              ))}
            </ul>
            <p className="muted small">{plural(state.list.total, 'event', 'events')}</p>
          </>
        ))}
    </AppShell>
  );
}
