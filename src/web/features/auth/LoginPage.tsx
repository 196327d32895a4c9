import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from '../../api/client';
import { useLocation } from '../../app/router';
import { FormError, TextField } from '../../components/Form';
import { useDocumentTitle } from '../../lib/useDocumentTitle';
import { useSignIn } from './api/session';
import { goToNext } from './redirect';

export function LoginPage() {
  const { searchParams } = useLocation();
  const next = searchParams.get('next');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useSignIn();
  // After success the page stays busy until it is left (goToNext may load another document).
  const pending = signIn.isPending || signIn.isSuccess;
  const error = signIn.error ? errorMessage(signIn.error) : null;
  const errorId = useId();

  useDocumentTitle('Sign in · Voyage Reports');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (pending) return;
    signIn.mutate({ email, password }, { onSuccess: () => goToNext(next) });
  };

  return (
    <main className="auth-page">
      <div className="auth-card">
        <p className="brand brand-large">Voyage Reports</p>
        <h1>Sign in</h1>
        <p className="muted">Use your Voyage account to open the report center.</p>
        <form className="form" onSubmit={onSubmit} aria-describedby={error ? errorId : undefined}>
          <TextField label="Email" name="email" type="email" autoComplete="username" required value={email} onChange={setEmail} />
          <TextField
            label="Password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={setPassword}
          />
          {error && <FormError id={errorId}>{error}</FormError>}
          <button type="submit" className="btn btn-primary btn-block" disabled={pending} aria-busy={pending}>
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
