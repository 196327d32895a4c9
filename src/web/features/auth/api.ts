import { api } from '../../api/client';

export interface User {
  id: string;
  email: string;
  name: string;
  /** Platform operators see the Ops dashboard. */
  is_operator?: boolean;
}

export type Role = 'admin' | 'organizer' | 'viewer' | 'staff';

/** What a report type needs: `reports:admin` types (e.g. the audit log) are for workspace admins. */
export type Permission = 'reports:read' | 'reports:admin';

export interface Membership {
  workspace_id: string;
  workspace_name: string;
  role: Role;
}

/** The body of POST /v1/auth/login and GET /v1/me. */
export interface Session {
  user: User;
  memberships: Membership[];
}

export function login(email: string, password: string): Promise<Session> {
  return api.post<Session>('/v1/auth/login', { email, password });
}

export function logout(): Promise<void> {
  return api.post<void>('/v1/auth/logout');
}

/** The current session, or null when signed out (answered 200 either way, so the console stays quiet). */
export async function fetchSession(signal?: AbortSignal): Promise<Session | null> {
  const body = await api.get<{ user: User | null; memberships: Membership[] }>('/v1/auth/session', { signal });
  return body.user ? { user: body.user, memberships: body.memberships } : null;
}
