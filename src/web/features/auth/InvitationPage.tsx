import { type FormEvent, useEffect, useState } from 'react';
import { errorMessage } from '../../api/client';
import type { InvitationInfo } from '../../api/types';
import { Link, navigate } from '../../app/router';
import { FormError, TextField } from '../../components/Form';
import { LoadingState } from '../../components/States';
import { formatDateTime } from '../../lib/format';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { tokenFromHash, useAcceptInvitation, useInvitation } from './api/invitations';

const MIN_PASSWORD = 10;

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; token: string; invitation: InvitationInfo }
  | { kind: 'joined'; email: string }
  | { kind: 'error'; message: string };

const INCOMPLETE = 'This invitation link is incomplete. Open it again from the email, whole.';

function offer(invitation: InvitationInfo): string {
  const parts = [];
  if (invitation.workspace_name) {
    const article = /^[aeiou]/.test(invitation.role ?? '') ? 'an' : 'a';
    parts.push(`${invitation.workspace_name} as ${article} ${invitation.role}`);
  }
  if (invitation.operator) parts.push('operate the Voyage Reports platform');
  return parts.join(', and ');
}

/**
 * /invitation#token=…: the link of an invitation email (or the one `npm run admin` printed). The
 * secret sits in the fragment, which no server sees; it is read once and taken out of the address.
 */
export function InvitationPage() {
  // Read once: the effect below takes the secret out of the address.
  const [token] = useState(() => tokenFromHash(window.location.hash));
  const invitation = useInvitation(token);
  const accept = useAcceptInvitation(token ?? '');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);

  useDocumentTitle('Accept your invitation · Voyage Reports');
  useEffect(() => {
    window.history.replaceState(null, '', window.location.pathname);
  }, []);

  const state: State = !token
    ? { kind: 'error', message: INCOMPLETE }
    : invitation.isError
      ? { kind: 'error', message: errorMessage(invitation.error) }
      : accept.data && !accept.data.signed_in
        ? { kind: 'joined', email: accept.data.email }
        : invitation.data
          ? { kind: 'ready', token, invitation: invitation.data }
          : { kind: 'loading' };
  // A new account is signed in: the page stays busy until the app opens.
  const pending = accept.isPending || accept.isSuccess;
  const error = mismatch ? 'The two passwords differ.' : accept.error ? errorMessage(accept.error) : null;

  if (state.kind === 'loading') return <LoadingState label="Opening your invitation…" />;

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (state.kind !== 'ready' || pending) return;
    const existing = state.invitation.account_exists;
    setMismatch(!existing && password !== confirm);
    if (!existing && password !== confirm) return;
    accept.mutate(existing ? {} : { name, password }, {
      onSuccess: (result) => {
        if (result.signed_in) navigate('/', { replace: true });
      },
    });
  };

  return (
    <main className="auth-page" data-test="invitation-page">
      <div className="auth-card">
        <p className="brand brand-large">Voyage Reports</p>
        {state.kind === 'error' && (
          <>
            <h1>This invitation cannot be used</h1>
            <FormError testId="invitation-error">{state.message}</FormError>
            <p>
              <Link to="/login">Go to sign in</Link>
            </p>
          </>
        )}
        {state.kind === 'joined' && (
          <>
            <h1>You have joined</h1>
            <p data-test="invitation-joined">
              The invitation is accepted. Sign in as {state.email} with your password to continue.
            </p>
            <Link to="/login" className="btn btn-primary btn-block">
              Sign in
            </Link>
          </>
        )}
        {state.kind === 'ready' && (
          <>
            <h1>Accept your invitation</h1>
            <p data-test="invitation-offer">
              {state.invitation.invited_by_name ? `${state.invitation.invited_by_name} invited you` : 'You are invited'} to join{' '}
              <strong>{offer(state.invitation)}</strong>.
            </p>
            <p className="muted small">
              For {state.invitation.email}. The link works once, until {formatDateTime(state.invitation.expires_at)}.
            </p>
            <form className="form" onSubmit={onSubmit}>
              {state.invitation.account_exists ? (
                <p>You already have a Voyage account with this email: accept, then sign in with your password.</p>
              ) : (
                <>
                  <TextField
                    label="Your name"
                    name="name"
                    autoComplete="name"
                    required
                    maxLength={100}
                    value={name}
                    onChange={setName}
                    testId="invitation-name"
                  />
                  <input type="hidden" name="email" autoComplete="username" value={state.invitation.email} />
                  <TextField
                    label="Choose a password"
                    hint={`At least ${MIN_PASSWORD} characters.`}
                    name="password"
                    type="password"
                    autoComplete="new-password"
                    required
                    minLength={MIN_PASSWORD}
                    value={password}
                    onChange={setPassword}
                    testId="invitation-password"
                  />
                  <TextField
                    label="Repeat the password"
                    name="confirm"
                    type="password"
                    autoComplete="new-password"
                    required
                    value={confirm}
                    onChange={setConfirm}
                    testId="invitation-password-confirm"
                  />
                </>
              )}
              {error && <FormError testId="invitation-error">{error}</FormError>}
              <button
                type="submit"
                className="btn btn-primary btn-block"
                disabled={pending}
                aria-busy={pending}
                data-test="invitation-accept"
              >
                {state.invitation.account_exists ? 'Accept invitation' : 'Create my account'}
              </button>
            </form>
          </>
        )}
      </div>
    </main>
  );
}
