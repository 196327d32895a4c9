import { useQuery } from '@tanstack/react-query';
import { createContext, type ReactNode, useContext, useEffect } from 'react';
import { errorMessage } from '../../api/client';
import type { Session } from '../../api/types';
import { ErrorState, LoadingState } from '../../components/States';
import { sessionQueryOptions } from './api/session';
import { redirectToLogin } from './redirect';

const SessionContext = createContext<Session | null>(null);

/** The signed-in user; only inside <RequireSession>. */
export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession() outside <RequireSession>');
  return session;
}

/** Loads GET /v1/auth/session once; signed-out visitors go to /login (coming back here afterwards). */
export function RequireSession({ children }: { children: ReactNode }) {
  const session = useQuery(sessionQueryOptions());
  const signedOut = session.data === null;

  useEffect(() => {
    if (signedOut) redirectToLogin();
  }, [signedOut]);

  if (session.isError) return <ErrorState title="Could not load your account" message={errorMessage(session.error)} />;
  if (!session.data) return <LoadingState label="Loading your account…" />;
  return <SessionContext.Provider value={session.data}>{children}</SessionContext.Provider>;
}
