import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../api/client';
import type { Role } from '../../api/types';
import { SelectField, TextField } from '../../components/Form';
import { ErrorNotice } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { useInviteMember, useMembers } from './api/workspace';

const ROLES: Role[] = ['admin', 'organizer', 'viewer', 'staff'];

/** Members and open invitations; an invitation is a one-time link sent by email (valid 7 days). */
export function MembersPanel({ workspaceId }: { workspaceId: string }) {
  const list = useMembers(workspaceId);
  const members = list.data ?? null;
  const loadError = list.isError ? errorMessage(list.error) : null;
  const invite = useInviteMember(workspaceId);
  const pending = invite.isPending;
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('organizer');
  const titleId = useId();
  // The last invitation's outcome, as the mutation holds it (a new submit clears it).
  const notice = invite.isError
    ? { kind: 'error', text: errorMessage(invite.error) }
    : invite.isSuccess
      ? { kind: 'success', text: `Invitation sent to ${invite.data.email}.` }
      : null;

  const onInvite = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    invite.mutate({ email, role }, { onSuccess: () => setEmail('') });
  };

  return (
    <section className="card settings-section" aria-labelledby={titleId} data-test="members">
      <h2 id={titleId}>Members</h2>
      <form className="settings-form" onSubmit={onInvite}>
        <TextField label="Invite by email" type="email" required value={email} onChange={setEmail} testId="invite-email" />
        <SelectField
          label="Role"
          value={role}
          onChange={(value) => setRole(value as Role)}
          options={ROLES.map((r) => ({ value: r, label: r }))}
          testId="invite-role"
        />
        <button type="submit" className="btn btn-primary" disabled={pending} data-test="invite-submit">
          Send invitation
        </button>
      </form>
      {notice && (
        <p
          className={`notice notice-${notice.kind}`}
          role={notice.kind === 'error' ? 'alert' : 'status'}
          data-test="invite-notice"
        >
          {notice.text}
        </p>
      )}
      {loadError && <ErrorNotice>{loadError}</ErrorNotice>}
      {members && (
        <ul className="member-list">
          {members.data.map((m) => (
            <li key={m.user_id} data-test="member-row" data-email={m.email}>
              <span>
                {m.name} <span className="muted">{m.email}</span>
              </span>
              <span className="pill">{m.role}</span>
            </li>
          ))}
          {members.invitations.map((i) => (
            <li key={i.id} data-test="invitation-row" data-email={i.email}>
              <span>
                {i.email} <span className="muted">invited, until {formatDateTime(i.expires_at)}</span>
              </span>
              <span className="pill pill-queued">{i.role}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
