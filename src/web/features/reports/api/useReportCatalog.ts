import { useEffect, useState } from 'react';
import { errorMessage, isAbortError, isUnauthorized } from '../../../api/client';
import { redirectToLogin } from '../../auth/redirect';
import { fetchReportCatalog, type ReportType } from './catalog';

export type CatalogState =
  | { status: 'loading'; types: readonly ReportType[] }
  | { status: 'ready'; types: readonly ReportType[] }
  | { status: 'error'; types: readonly ReportType[]; message: string };

const EMPTY: readonly ReportType[] = [];

/** The report types the caller may run for this event, from the server (filtered by role). */
export function useReportCatalog(eventId: string, enabled: boolean): CatalogState {
  const [state, setState] = useState<CatalogState>({ status: 'loading', types: EMPTY });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    setState({ status: 'loading', types: EMPTY });
    fetchReportCatalog(eventId, controller.signal).then(
      (catalog) => setState({ status: 'ready', types: catalog.data }),
      (err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        if (isUnauthorized(err)) redirectToLogin();
        else setState({ status: 'error', types: EMPTY, message: errorMessage(err) });
      },
    );
    return () => controller.abort();
  }, [eventId, enabled]);

  return state;
}
