import type { ReportType } from './api/catalog';
import type { ReportFormat } from './api/types';

export const ALL_FORMATS: readonly { value: ReportFormat; label: string }[] = [
  { value: 'csv', label: 'CSV' },
  { value: 'pdf', label: 'PDF' },
];

/**
 * Names of report types that exist but are filtered out of some users' catalogs (the catalog
 * only lists what the caller may run), so the permission gate can still name them.
 */
export const GATED_REPORT_TYPES: Readonly<Record<string, { name: string; description: string }>> = {
  'audit-log': {
    name: 'Audit log',
    description: 'Who did what in this workspace: sign-ins, report requests, downloads and setting changes.',
  },
};

/** A report type's display name, from the catalog or the gated list; null when unknown. */
export function reportTypeName(key: string, catalog: readonly ReportType[]): string | null {
  return catalog.find((t) => t.key === key)?.name ?? GATED_REPORT_TYPES[key]?.name ?? null;
}
