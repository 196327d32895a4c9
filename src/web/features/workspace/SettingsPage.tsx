import { navigate } from '../../app/router';
import { AppShell } from '../../components/AppShell';
import { ErrorState } from '../../components/States';
import { useSession } from '../auth/session';
import { ApiTokensPanel } from './ApiTokensPanel';
import { settingsPath } from './api/workspace';
import { MembersPanel } from './MembersPanel';
import './workspace.css';
import { useDocumentTitle } from '../../lib/useDocumentTitle';

/** /admin/workspaces/:id/settings, for the workspace's admins: its members and API tokens. */
export function SettingsPage({ workspaceId }: { workspaceId: string }) {
  const { memberships } = useSession();
  const adminOf = memberships.filter((m) => m.role === 'admin');
  const membership = adminOf.find((m) => m.workspace_id === workspaceId);

  useDocumentTitle(`${membership?.workspace_name ?? 'Workspace'} settings · Voyage Reports`);

  if (!membership) {
    return (
      <AppShell>
        <ErrorState
          title="No access to these settings"
          message="Only the workspace’s admins can manage its members and API tokens."
        />
      </AppShell>
    );
  }

  return (
    <AppShell workspaceName={membership.workspace_name}>
      <div className="page-header" data-test="settings-page">
        <div>
          <h1>{membership.workspace_name} settings</h1>
          <p className="muted">Members and API tokens of the workspace.</p>
        </div>
        {adminOf.length > 1 && (
          <label className="inline-label">
            Workspace{' '}
            <select value={workspaceId} onChange={(e) => navigate(settingsPath(e.target.value))} data-test="settings-workspace">
              {adminOf.map((m) => (
                <option key={m.workspace_id} value={m.workspace_id}>
                  {m.workspace_name}
                </option>
              ))}
            </select>
          </label>
        )}
      </div>
      <MembersPanel key={`m-${workspaceId}`} workspaceId={workspaceId} />
      <ApiTokensPanel key={`t-${workspaceId}`} workspaceId={workspaceId} />
    </AppShell>
  );
}
