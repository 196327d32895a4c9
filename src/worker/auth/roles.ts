export const ROLES = ['admin', 'organizer', 'viewer', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a workspace API token may have: staff have no report access and no write access, so a staff token could do nothing. */
export const TOKEN_ROLES = ['admin', 'organizer', 'viewer'] as const;
export type TokenRole = (typeof TOKEN_ROLES)[number];

/**
 * What each role may do. Running a report is reading data, so read-only viewers may run the types
 * they can read; staff have no report access; admin-only types need `reports:admin`. Managing the
 * workspace (its API tokens) and writing the platform's data (the ingest API, through an API token)
 * are for admins. An API token is checked exactly like a member with its role.
 */
export type Permission = 'reports:read' | 'reports:admin' | 'orders:export' | 'workspace:admin' | 'events:write';

// The orders export carries buyers' emails and money: the spec packet (docs/spec/orders-export-spec-packet.txt) gives it to the people who
// run the account's events (admins, organizers), never to read-only viewers.
const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['reports:read', 'reports:admin', 'orders:export', 'workspace:admin', 'events:write'],
  organizer: ['reports:read', 'orders:export'],
  viewer: ['reports:read'],
  staff: [],
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].includes(permission);
}

/** The roles that have a permission: who may read a report type, as a list SQL can match. */
export function rolesWith(permission: Permission): Role[] {
  return ROLES.filter((role) => can(role, permission));
}

/** "admins", "admins and organizers": who has a permission, in words for a refusal. */
export function holdersOf(permission: Permission): string {
  const names = rolesWith(permission).map((role) => `${role}s`);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : (names[0] ?? 'nobody');
}
