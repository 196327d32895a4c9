import type { ReportFormat } from './api/types';

export interface ReportTypeInfo {
  key: string;
  name: string;
  description: string;
  formats: readonly ReportFormat[];
}

/**
 * The report types the "Generate new report" dialog offers. Hardcoded for now; the one place
 * to swap for GET /v1/admin/events/:id/reports/catalog.
 */
export const REPORT_CATALOG: readonly ReportTypeInfo[] = [
  {
    key: 'guest-list',
    name: 'Guest list summary',
    description: 'Every guest with contact details, ticket, RSVP status, registration and check-in time.',
    formats: ['csv'],
  },
];

export const ALL_FORMATS: readonly { value: ReportFormat; label: string }[] = [
  { value: 'csv', label: 'CSV' },
  { value: 'pdf', label: 'PDF' },
];
