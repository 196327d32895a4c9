import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { errorMessage, isAbortError, isUnauthorized } from '../../api/client';
import { ErrorState, LoadingState } from '../../components/States';
import { fetchSession, type Session } from './api';
import { redirectToLogin } from './redirect';

const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only inside <RequireSession>. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <RequireSession>');
  return session;
}

type State = { kind: 'loading' } | { kind: 'ready'; session: Session } | { kind: 'error'; message: string };

/** Loads GET /v1/auth/session once; signed-out visitors go to /login (coming back here afterwards). */
export function RequireSession({ children }: { children: ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  useEffect(() => {
    const controller = new AbortController();
    fetchSession(controller.signal).then(
      (session) => {
        if (session) setState({ kind: 'ready', session });
        else redirectToLogin();
      },
      (err: unknown) => {
        if (controller.signal.aborted || isAbortError(err)) return;
        if (isUnauthorized(err)) redirectToLogin();
        else setState({ kind: 'error', message: errorMessage(err) });
      },
    );
    return () => controller.abort();
  }, []);

  if (state.kind === 'loading') return <LoadingState label="Loading your account…" />;
  if (state.kind === 'error') return <ErrorState title="Could not load your account" message={state.message} />;
  return <SessionContext.Provider value={state.session}>{children}</SessionContext.Provider>;
}
