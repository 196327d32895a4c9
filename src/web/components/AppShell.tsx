import { type ReactNode, useState } from 'react';
import { Link, navigate } from '../app/router';
import { logout } from '../features/auth/api';
import { useSession } from '../features/auth/session';

interface AppShellProps {
  /** The workspace of the page; defaults to the user's only workspace, if they have one. */
  workspaceName?: string;
  children: ReactNode;
}

/** The header every signed-in page shares: workspace, user, sign out. */
export function AppShell({ workspaceName, children }: AppShellProps) {
  const { user, memberships } = useSession();
  const [signingOut, setSigningOut] = useState(false);

  const workspace =
    workspaceName ??
    (memberships.length === 1
      ? memberships[0]?.workspace_name
      : memberships.length > 1
        ? `${memberships.length} workspaces`
        : undefined);

  const signOut = async () => {
    setSigningOut(true);
    try {
      await logout();
    } catch {
      // The session cookie may already be gone; the sign-in page is the right place either way.
    }
    navigate('/login', { replace: true });
  };

  return (
    <div className="shell">
      <header className="topbar">
        <div className="topbar-inner">
          <div className="topbar-left">
            <Link to="/" className="brand">
              Voyage Reports
            </Link>
            {workspace && (
              <span className="workspace" data-test="shell-workspace-name">
                {workspace}
              </span>
            )}
          </div>
          <div className="topbar-right">
            <span className="user">
              <span className="user-name">{user.name}</span>
              <span className="user-email">{user.email}</span>
            </span>
            <button type="button" className="btn btn-ghost btn-small" onClick={signOut} disabled={signingOut}>
              Sign out
            </button>
          </div>
        </div>
      </header>
      <main className="page">{children}</main>
    </div>
  );
}
