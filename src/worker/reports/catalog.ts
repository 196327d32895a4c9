import { can, type Role } from '../auth/roles';
import { guestList } from './guest-list';
import type { ReportType } from './types';

// biome-ignore lint/suspicious/noExplicitAny: each entry has its own parameter type
const REPORT_TYPES: readonly ReportType<any>[] = [guestList];

const BY_KEY = new Map(REPORT_TYPES.map((t) => [t.key, t]));

export function findReportType(key: string): ReportType | undefined {
  return BY_KEY.get(key);
}

/** The types a member with this role may run and see, filtered on the server. */
export function reportTypesFor(role: Role): ReportType[] {
  return REPORT_TYPES.filter((t) => can(role, t.permission));
}
