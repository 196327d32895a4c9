import { withQuery } from '../../api/client';
import { reportsPath } from '../events/api/events';
import type { JobParams, JobSort, SortOrder } from './api/types';
import type { ParamsPrefill } from './components/ReportParamsForm';
import { parseRecipients } from './recipients';

export const DEFAULT_SORT: JobSort = 'created_at';
export const DEFAULT_ORDER: SortOrder = 'desc';
export const SORTS: readonly JobSort[] = ['created_at', 'status', 'type'];

export { reportsPath };

/** The permission gate: /admin/reports/new?type=<key>&event=<id>. */
export function newReportGatePath(type: string, eventId?: string): string {
  return withQuery('/admin/reports/new', { type, event: eventId });
}

export type NarrowNotice = 'narrowed' | 'pick';

export interface NewReportLink {
  type: string;
  params?: Partial<JobParams>;
  notify?: string[];
  narrow?: NarrowNotice;
}

/** The report center with the generate dialog open on a type: ?new=<type>[&params=<json>&notify=…&narrow=…]. */
export function newReportHref(eventId: string, link: NewReportLink): string {
  return withQuery(reportsPath(eventId), {
    new: link.type,
    params: link.params ? JSON.stringify(link.params) : undefined,
    notify: link.notify && link.notify.length > 0 ? link.notify.join(',') : undefined,
    narrow: link.narrow,
  });
}

const NOTICES: Record<NarrowNotice, string> = {
  narrowed:
    'The earlier report was too large for one file, so the date range below is narrower. Adjust it if needed, or generate one report per month.',
  pick: 'The earlier report covered all dates and was too large for one file. Choose a date range.',
};

function parseParams(raw: string | null): Partial<JobParams> | undefined {
  if (!raw) return undefined;
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Partial<JobParams>) : undefined;
  } catch {
    return undefined;
  }
}

/** The dialog's starting point from a deep link, or null when the URL has none. */
export function parseNewReportLink(searchParams: URLSearchParams): { type: string; prefill: ParamsPrefill } | null {
  const type = searchParams.get('new');
  if (!type) return null;
  const narrow = searchParams.get('narrow');
  const notify = searchParams.get('notify');
  const prefill: ParamsPrefill = {};
  const params = parseParams(searchParams.get('params'));
  if (params) prefill.params = params;
  if (notify) prefill.notifyEmails = parseRecipients(notify).emails;
  if (narrow === 'narrowed' || narrow === 'pick') prefill.notice = NOTICES[narrow];
  return { type, prefill };
}

export const DEEP_LINK_KEYS = ['new', 'params', 'notify', 'narrow'] as const;
