export const ROLES = ['admin', 'organizer', 'viewer', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/**
 * What each role may do with reports. Running a report is reading data, so read-only viewers may
 * run the types they can read; staff have no report access; admin-only types need `reports:admin`.
 */
export type Permission = 'reports:read' | 'reports:admin';

const GRANTS: Record<Role, readonly Permission[]> = {
  admin: ['reports:read', 'reports:admin'],
  organizer: ['reports:read'],
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
