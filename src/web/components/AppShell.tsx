import type { ReactNode } from 'react';
import { Link, navigate, useLocation } from '../app/router';
import { useSignOut } from '../features/auth/api/session';
import { useSession } from '../features/auth/session';

/** The event a page is about, for the Reports and Orders links of the navigation. */
export interface ShellEvent {
  id: string;
  name: string;
  /** Without report access (staff) the Reports and Orders tabs would lead nowhere: they are left out. */
  can_read_reports?: boolean;
}

interface AppShellProps {
  /** The workspace of the page; defaults to the user's only workspace, if they have one. */
  workspaceName?: string;
  /** The current event: the navigation then links to its Reports and Orders. */
  event?: ShellEvent;
  children: ReactNode;
}

export function eventSectionPath(eventId: string, section: 'reports' | 'orders'): string {
  return `/admin/events/${encodeURIComponent(eventId)}/${section}`;
}

function NavLink({ to, active, testId, children }: { to: string; active: boolean; testId: string; children: ReactNode }) {
  return (
    <li>
      <Link
        to={to}
        className={active ? 'nav-link nav-link-active' : 'nav-link'}
        aria-current={active ? 'page' : undefined}
        data-test={testId}
      >
        {children}
      </Link>
    </li>
  );
}

/** The header every signed-in page shares: workspace, navigation, user, sign out. */
export function AppShell({ workspaceName, event, children }: AppShellProps) {
  const { user, memberships } = useSession();
  const { pathname } = useLocation();
  const signOut = useSignOut();

  const workspace =
    workspaceName ??
    (memberships.length === 1
      ? memberships[0]?.workspace_name
      : memberships.length > 1
        ? `${memberships.length} workspaces`
        : undefined);

  const reportsPath = event ? eventSectionPath(event.id, 'reports') : null;
  // Workspace admins manage members and API tokens (the first workspace they administer; the page switches).
  const adminWorkspace = memberships.find((m) => m.role === 'admin');
  const ordersPath = event ? eventSectionPath(event.id, 'orders') : null;

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <div className="topbar-left">
            <Link to="/admin/events" className="brand">
              Voyage Reports
            </Link>
            {workspace && (
              <span className="workspace" data-test="shell-workspace-name">
                {workspace}
              </span>
            )}
          </div>
          <div className="topbar-right">
            <span className="user" data-test="shell-user">
              <span className="user-name">{user.name}</span>
              <span className="user-email">{user.email}</span>
            </span>
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-test="shell-sign-out"
              // The session cookie may already be gone; the sign-in page is the right place either way.
              onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) })}
              disabled={signOut.isPending}
            >
              Sign out
            </button>
          </div>
        </div>
        <nav className="topnav" aria-label="Main">
          <ul className="topnav-inner">
            <NavLink to="/admin/events" active={pathname === '/' || pathname === '/admin/events'} testId="nav-events">
              Events
            </NavLink>
            {event && event.can_read_reports !== false && reportsPath && ordersPath && (
              <>
                <li className="nav-event" aria-hidden="true">
                  {event.name}
                </li>
                <NavLink to={reportsPath} active={pathname.startsWith(reportsPath)} testId="nav-reports">
                  Reports<span className="visually-hidden"> for {event.name}</span>
                </NavLink>
                <NavLink to={ordersPath} active={pathname.startsWith(ordersPath)} testId="nav-orders">
                  Orders<span className="visually-hidden"> for {event.name}</span>
                </NavLink>
              </>
            )}
            {adminWorkspace && (
              <NavLink
                to={`/admin/workspaces/${encodeURIComponent(adminWorkspace.workspace_id)}/settings`}
                active={pathname.startsWith('/admin/workspaces/')}
                testId="nav-settings"
              >
                Settings
              </NavLink>
            )}
            {user.is_operator === true && (
              <NavLink to="/admin/ops" active={pathname.startsWith('/admin/ops')} testId="nav-ops">
                Ops
              </NavLink>
            )}
          </ul>
        </nav>
      </header>
      <main className="page" id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
