import { can, holdersOf, ROLES, type Role } from '../auth/roles';
import { badRequest, forbidden } from '../errors';
import { parseWith } from '../validate';
import { activityLog } from './activity-log';
import { attendance } from './attendance';
import { auditLog } from './audit-log';
import { emailDeliverability } from './email-deliverability';
import { graphicalCheckIn } from './graphical-check-in';
import { guestList } from './guest-list';
import { orders } from './orders';
import type { CommonParams } from './params';
import { registrationTimeline } from './registration-timeline';
import { sponsorLeads } from './sponsor-leads';
import { ticketBlockUtilization } from './ticket-block-utilization';
import { ticketing } from './ticketing';
import type { ReportType } from './types';

/** Every report type, in the order the catalog shows them. */
// biome-ignore lint/suspicious/noExplicitAny: each entry has its own parameter type
const REPORT_TYPES: readonly ReportType<any>[] = [
  guestList,
  activityLog,
  emailDeliverability,
  graphicalCheckIn,
  ticketing,
  attendance,
  registrationTimeline,
  sponsorLeads,
  ticketBlockUtilization,
  orders,
  auditLog,
];

const BY_KEY = new Map(REPORT_TYPES.map((t) => [t.key, t]));

export function findReportType(key: string): ReportType | undefined {
  return BY_KEY.get(key);
}

/** The types a member with this role may run and see, filtered on the server. */
export function reportTypesFor(role: Role): ReportType[] {
  return REPORT_TYPES.filter((t) => can(role, t.permission));
}

/**
 * The keys each role may see (only `only`, when a filter names one): for SQL that learns the role
 * in the same statement (db/job-list.ts listJobsStatements).
 */
export function visibleTypesByRole(only?: string): Record<Role, string[]> {
  const keys = (role: Role) => reportTypesFor(role).flatMap((t) => (only === undefined || t.key === only ? [t.key] : []));
  return Object.fromEntries(ROLES.map((role) => [role, keys(role)])) as Record<Role, string[]>;
}

/**
 * A request for a report, checked the way every entry point checks it (new job, estimate): a type
 * that exists, that this role may run, parameters valid for it, a format it has. Throws the 4xx.
 */
export function parseReportRequest(role: Role, typeKey: string, params: unknown): { type: ReportType; params: CommonParams } {
  const type = findReportType(typeKey);
  if (!type) throw badRequest(`type: Unknown report type "${typeKey.slice(0, 64)}".`, 'unknown_report_type');
  if (!can(role, type.permission)) {
    throw forbidden(
      `The ${type.name} report is available to workspace ${holdersOf(type.permission)} only. Ask an admin for access.`,
    );
  }
  const parsed = parseWith(type.params, params, 'params');
  if (!type.formats.includes(parsed.format)) {
    throw badRequest(
      `params.format: The ${type.name} report can be generated as ${type.formats.join(' or ')}.`,
      'validation_failed',
    );
  }
  return { type, params: parsed };
}
