import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../api/client';
import { ConfirmDialog, Dialog } from '../../components/Dialog';
import { FormError, SelectField, TextField } from '../../components/Form';
import { ErrorNotice } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { type ApiToken, type TokenRole, useApiTokens, useCreateApiToken, useRevokeApiToken } from './api/workspace';

const ROLE_HINT: Record<TokenRole, string> = {
  admin: 'push the platform’s data (ingest) and run every report',
  organizer: 'run and download reports',
  viewer: 'run and download reports (read-only role)',
};
const TOKEN_ROLES = Object.keys(ROLE_HINT) as TokenRole[];

/** API tokens of the workspace: made here (shown once), listed with their last use, revoked at once. */
export function ApiTokensPanel({ workspaceId }: { workspaceId: string }) {
  const list = useApiTokens(workspaceId);
  const tokens = list.data ?? null;
  const loadError = list.isError ? errorMessage(list.error) : null;
  const create = useCreateApiToken(workspaceId);
  const revoke = useRevokeApiToken(workspaceId);
  const [name, setName] = useState('');
  const [role, setRole] = useState<TokenRole>('admin');
  const creating = create.isPending;
  const formError = create.error ? errorMessage(create.error) : null;
  const [created, setCreated] = useState<{ token: string; name: string } | null>(null);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revokeError = revoke.error ? errorMessage(revoke.error) : null;
  const titleId = useId();

  const onCreate = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (creating) return;
    create.mutate(
      { name, role },
      {
        onSuccess: (result) => {
          setCreated({ token: result.token, name: result.api_token.name });
          setName('');
        },
      },
    );
  };

  const onRevoke = () => {
    if (!revoking) return;
    revoke.mutate(revoking.id, { onSuccess: () => setRevoking(null) });
  };

  return (
    <section className="card settings-section" aria-labelledby={titleId} data-test="api-tokens">
      <h2 id={titleId}>API tokens</h2>
      <p className="muted">
        The Voyage platform pushes your events’ data and asks for reports with a token (see the API reference at{' '}
        <a href="/v1/docs">/v1/docs</a>). A token acts in this workspace only, with its role.
      </p>
      <form className="settings-form" onSubmit={onCreate}>
        <TextField
          label="Name"
          required
          maxLength={100}
          placeholder="What uses it, e.g. Voyage platform sync"
          value={name}
          onChange={setName}
          testId="api-token-name"
        />
        <SelectField
          label="Role"
          value={role}
          onChange={(value) => setRole(value as TokenRole)}
          options={TOKEN_ROLES.map((r) => ({ value: r, label: `${r} — ${ROLE_HINT[r]}` }))}
          testId="api-token-role"
        />
        <button type="submit" className="btn btn-primary" disabled={creating} data-test="api-token-create">
          Create token
        </button>
        {formError && <FormError>{formError}</FormError>}
      </form>
      {loadError && <ErrorNotice>{loadError}</ErrorNotice>}
      {tokens && tokens.length === 0 && <p className="muted">No tokens yet.</p>}
      {tokens && tokens.length > 0 && (
        <div className="jobs-table-wrap">
          <table className="jobs-table">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Token</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-test="api-token-row" data-token-id={t.id} data-state={t.revoked_at ? 'revoked' : 'live'}>
                  <td>{t.name}</td>
                  <td>{t.role}</td>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>
                    {formatDateTime(t.created_at)}
                    {t.created_by_name ? ` by ${t.created_by_name}` : ' by an operator'}
                  </td>
                  <td data-test="api-token-last-used">{t.last_used_at ? formatDateTime(t.last_used_at) : 'Never'}</td>
                  <td>
                    {t.revoked_at ? (
                      <span className="pill pill-cancelled">revoked {formatDateTime(t.revoked_at)}</span>
                    ) : (
                      <button
                        type="button"
                        className="btn btn-secondary btn-small"
                        onClick={() => setRevoking(t)}
                        data-test="api-token-revoke"
                      >
                        Revoke<span className="visually-hidden"> {t.name}</span>
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {created && (
        <Dialog title="Copy your new token" onClose={() => setCreated(null)} testId="api-token-created">
          <p>
            This is the only time “{created.name}” is shown. Store it in the platform’s secret store; if it is lost, revoke it and
            create another.
          </p>
          <input
            className="token-secret"
            readOnly
            value={created.token}
            aria-label="The new API token"
            onFocus={(e) => e.currentTarget.select()}
            data-test="api-token-secret"
          />
          <div className="form-actions">
            <button
              type="button"
              className="btn btn-secondary"
              onClick={() => void navigator.clipboard?.writeText(created.token)}
              data-test="api-token-copy"
            >
              Copy
            </button>
            <button type="button" className="btn btn-primary" onClick={() => setCreated(null)} data-test="api-token-done">
              Done
            </button>
          </div>
        </Dialog>
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke “${revoking.name}”?`}
          onClose={() => setRevoking(null)}
          testId="api-token-revoke-dialog"
          error={revokeError}
          confirmLabel="Revoke token"
          confirmTestId="api-token-revoke-confirm"
          onConfirm={onRevoke}
        >
          <p>Its next request is refused. Whatever uses it stops working until it gets a new token.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
