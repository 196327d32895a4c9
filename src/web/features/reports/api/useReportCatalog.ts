import { useQuery } from '@tanstack/react-query';
import { errorMessage } from '../../../api/client';
import { catalogQueryOptions } from './catalog';
import type { ReportType } from './types';

export type CatalogState =
  | { status: 'loading'; types: readonly ReportType[] }
  | { status: 'ready'; types: readonly ReportType[] }
  | { status: 'error'; types: readonly ReportType[]; message: string };

const EMPTY: readonly ReportType[] = [];

/** The report types the caller may run for this event, from the server (filtered by role). */
export function useReportCatalog(eventId: string, enabled: boolean): CatalogState {
  const catalog = useQuery({ ...catalogQueryOptions(eventId), enabled });
  if (catalog.isError) return { status: 'error', types: EMPTY, message: errorMessage(catalog.error) };
  if (catalog.data) return { status: 'ready', types: catalog.data.data };
  return { status: 'loading', types: EMPTY };
}
