import type { ReportFormat, ReportType } from './api/types';
import { knownReportType } from './reportTypes';

export const ALL_FORMATS: readonly { value: ReportFormat; label: string }[] = [
  { value: 'csv', label: 'CSV' },
  { value: 'pdf', label: 'PDF' },
];

/** A report type's display name, from the catalog or the list of every type; null when unknown. */
export function reportTypeName(key: string, catalog: readonly ReportType[]): string | null {
  return catalog.find((t) => t.key === key)?.name ?? knownReportType(key)?.name ?? null;
}
