import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { queryKeys } from '../../../api/queryKeys';
import type { EventDetail } from '../../../api/types';
import { Link, navigate, useLocation } from '../../../app/router';
import { AppShell } from '../../../components/AppShell';
import { ErrorNotice, LoadingState } from '../../../components/States';
import { useDocumentTitle } from '../../../lib/useDocumentTitle';
import { eventQueryOptions, eventsQueryOptions } from '../../events/api/events';
import { useRequestReportAccess } from '../api/accessRequests';
import { catalogQueryOptions } from '../api/catalog';
import { newReportHref, reportsPath } from '../links';
import { knownReportType } from '../reportTypes';

type GateState =
  | { kind: 'loading' }
  | { kind: 'open'; href: string }
  | { kind: 'no-type' }
  | { kind: 'no-events' }
  | { kind: 'event-not-found' }
  | { kind: 'unknown-type'; event: EventDetail }
  | {
      kind: 'permission-required';
      event: EventDetail;
      typeName: string;
      description: string | null;
      /** Admin-only type, or a role without any report access (staff). */
      reason: 'admin-only' | 'no-report-access';
    }
  | { kind: 'error'; message: string };

/** The event named in the link, else the user's first event (through the cache the event pages share). */
async function resolveEvent(queryClient: QueryClient, eventId: string | null): Promise<EventDetail | null> {
  if (eventId) return queryClient.fetchQuery(eventQueryOptions(eventId));
  const events = await queryClient.fetchQuery(eventsQueryOptions());
  const first = events.data[0];
  return first ? queryClient.fetchQuery(eventQueryOptions(first.id)) : null;
}

/** Where the link leads: the generate dialog when the user may run the type, else why not. */
async function resolveGate(queryClient: QueryClient, type: string, eventId: string | null): Promise<GateState> {
  const event = await resolveEvent(queryClient, eventId);
  if (!event) return { kind: 'no-events' };
  if (event.can_read_reports) {
    const catalog = await queryClient.fetchQuery(catalogQueryOptions(event.id));
    if (catalog.data.some((t) => t.key === type)) return { kind: 'open', href: newReportHref(event.id, { type }) };
  }
  // Only a real report type gets the gate; any other name is "not available", whoever asks.
  const known = knownReportType(type);
  if (!known) return { kind: 'unknown-type', event };
  return {
    kind: 'permission-required',
    event,
    typeName: known.name,
    description: known.description,
    reason: event.can_read_reports ? 'admin-only' : 'no-report-access',
  };
}

/**
 * /admin/reports/new?type=<key>&event=<id>: opens the generate dialog on that type when the user
 * may run it, and otherwise says that the report exists and how to ask for access.
 */
export function ReportGatePage() {
  const { searchParams } = useLocation();
  const type = searchParams.get('type')?.trim() ?? '';
  const eventParam = searchParams.get('event');
  const queryClient = useQueryClient();
  const gate = useQuery({
    queryKey: queryKeys.reports.gate(type, eventParam),
    queryFn: () => resolveGate(queryClient, type, eventParam),
    enabled: type !== '',
  });
  const state: GateState = !type
    ? { kind: 'no-type' }
    : gate.isError
      ? gate.error instanceof ApiError && gate.error.status === 404
        ? { kind: 'event-not-found' }
        : { kind: 'error', message: errorMessage(gate.error) }
      : (gate.data ?? { kind: 'loading' });
  const openHref = state.kind === 'open' ? state.href : null;

  useEffect(() => {
    if (openHref) navigate(openHref, { replace: true });
  }, [openHref]);

  useDocumentTitle(state.kind === 'permission-required' ? 'Permission required · Voyage Reports' : 'New report · Voyage Reports');

  if (state.kind === 'loading' || state.kind === 'open') {
    return (
      <AppShell>
        <LoadingState label="Checking the report…" />
      </AppShell>
    );
  }

  if (state.kind === 'permission-required') {
    return (
      <AppShell workspaceName={state.event.workspace_name} event={state.event}>
        <PermissionRequired
          event={state.event}
          type={type}
          typeName={state.typeName}
          description={state.description}
          reason={state.reason}
        />
      </AppShell>
    );
  }

  const event = state.kind === 'unknown-type' ? state.event : undefined;
  const message =
    state.kind === 'no-type'
      ? 'This link does not name a report type.'
      : state.kind === 'no-events'
        ? 'You have no events yet, so there is nothing to report on.'
        : state.kind === 'event-not-found'
          ? 'The event of this link was not found, or you do not have access to it.'
          : state.kind === 'unknown-type'
            ? `There is no report type called "${type}".`
            : state.message;
  return (
    <AppShell workspaceName={event?.workspace_name} event={event}>
      <div className="center-card" data-test="report-gate-error">
        <h1>Report not available</h1>
        <p role="alert">{message}</p>
        <Link to={event ? reportsPath(event.id) : '/admin/events'} className="btn btn-secondary">
          {event ? 'Go to reports' : 'Go to events'}
        </Link>
      </div>
    </AppShell>
  );
}

function PermissionRequired({
  event,
  type,
  typeName,
  description,
  reason,
}: {
  event: EventDetail;
  type: string;
  typeName: string;
  description: string | null;
  reason: 'admin-only' | 'no-report-access';
}) {
  const request = useRequestReportAccess();
  const pending = request.isPending;
  const error = request.error ? errorMessage(request.error) : null;
  const confirmation = request.data ? request.data.message || 'Your request was sent to the workspace admins.' : null;
  const confirmationRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (confirmation) confirmationRef.current?.focus();
  }, [confirmation]);

  return (
    <div className="center-card" data-test="permission-required-page">
      <h1>Permission required</h1>
      <p>
        The <strong data-test="permission-required-type-name">{typeName}</strong> report exists, but it needs{' '}
        {reason === 'admin-only' ? 'workspace admin access' : 'access to reports'}. Your role in {event.workspace_name} is{' '}
        <strong>{event.role}</strong>.
      </p>
      {description && <p className="muted">{description}</p>}
      <p className="muted">Ask for access and we will email the admins of {event.workspace_name}.</p>

      <div className="center-card-actions">
        {confirmation === null && (
          <button
            type="button"
            className="btn btn-primary"
            data-test="permission-required-request-access-cta"
            disabled={pending}
            aria-busy={pending}
            onClick={() => request.mutate({ reportType: type, eventId: event.id })}
          >
            Request access
          </button>
        )}
        <Link to={reportsPath(event.id)} className="btn btn-secondary">
          Back to reports
        </Link>
      </div>
      <div role="status" className="gate-status" data-test="permission-required-request-access-status">
        {confirmation && (
          <p
            ref={confirmationRef}
            tabIndex={-1}
            className="notice notice-success"
            data-test="permission-required-request-access-confirmation"
          >
            {confirmation}
          </p>
        )}
      </div>
      {error && <ErrorNotice>{error}</ErrorNotice>}
    </div>
  );
}
