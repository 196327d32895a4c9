import { can, type Role } from '../auth/roles';
import { activityLog } from './activity-log';
import { attendance } from './attendance';
import { auditLog } from './audit-log';
import { emailDeliverability } from './email-deliverability';
import { graphicalCheckIn } from './graphical-check-in';
import { guestList } from './guest-list';
import { orders } from './orders';
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
