import { useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage, isAbortError, isUnauthorized } from '../../../api/client';
import { Link, navigate, useLocation } from '../../../app/router';
import { AppShell } from '../../../components/AppShell';
import { LoadingState } from '../../../components/States';
import { redirectToLogin } from '../../auth/redirect';
import { type EventDetail, getEvent, listEvents } from '../../events/api';
import { requestReportAccess } from '../api/accessRequests';
import { fetchReportCatalog } from '../api/catalog';
import { newReportHref, reportsPath } from '../links';
import { knownReportType } from '../reportTypes';

type GateState =
  | { kind: 'loading' }
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

/** The event named in the link, else the user's first event. */
async function resolveEvent(eventId: string | null, signal: AbortSignal): Promise<EventDetail | null> {
  if (eventId) return getEvent(eventId, signal);
  const events = await listEvents(signal);
  const first = events.data[0];
  return first ? getEvent(first.id, signal) : null;
}

/**
 * /admin/reports/new?type=<key>&event=<id>: opens the generate dialog on that type when the user
 * may run it, and otherwise says that the report exists and how to ask for access.
 */
export function ReportGatePage() {
  const { searchParams } = useLocation();
  const type = searchParams.get('type')?.trim() ?? '';
  const eventParam = searchParams.get('event');
  const [state, setState] = useState<GateState>({ kind: 'loading' });

  useEffect(() => {
    if (!type) {
      setState({ kind: 'no-type' });
      return;
    }
    const controller = new AbortController();
    setState({ kind: 'loading' });
    (async () => {
      const event = await resolveEvent(eventParam, controller.signal);
      if (!event) return setState({ kind: 'no-events' });
      if (event.can_read_reports) {
        const catalog = await fetchReportCatalog(event.id, controller.signal);
        if (catalog.data.some((t) => t.key === type)) {
          navigate(newReportHref(event.id, { type }), { replace: true });
          return;
        }
      }
      // Only a real report type gets the gate; any other name is "not available", whoever asks.
      const known = knownReportType(type);
      if (!known) return setState({ kind: 'unknown-type', event });
      if (!event.can_read_reports) {
        return setState({
          kind: 'permission-required',
          event,
          typeName: known.name,
          description: known.description,
          reason: 'no-report-access',
        });
      }
      setState({
        kind: 'permission-required',
        event,
        typeName: known.name,
        description: known.description,
        reason: 'admin-only',
      });
    })().catch((err: unknown) => {
      if (controller.signal.aborted || isAbortError(err)) return;
      if (isUnauthorized(err)) redirectToLogin();
      else if (err instanceof ApiError && err.status === 404) setState({ kind: 'event-not-found' });
      else setState({ kind: 'error', message: errorMessage(err) });
    });
    return () => controller.abort();
  }, [type, eventParam]);

  useEffect(() => {
    document.title =
      state.kind === 'permission-required' ? 'Permission required · Voyage Reports' : 'New report · Voyage Reports';
  }, [state.kind]);

  if (state.kind === 'loading') {
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
  const [pending, setPending] = useState(false);
  const [confirmation, setConfirmation] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const confirmationRef = useRef<HTMLParagraphElement>(null);

  useEffect(() => {
    if (confirmation) confirmationRef.current?.focus();
  }, [confirmation]);

  const requestAccess = async () => {
    setPending(true);
    setError(null);
    try {
      const result = await requestReportAccess(type, event.id);
      setConfirmation(result.message || 'Your request was sent to the workspace admins.');
    } catch (err) {
      if (isUnauthorized(err)) {
        redirectToLogin();
        return;
      }
      setError(errorMessage(err));
    } finally {
      setPending(false);
    }
  };

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
            onClick={() => void requestAccess()}
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
      {error && (
        <p className="notice notice-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
