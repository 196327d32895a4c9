import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { setSignedOutHandler } from '../api/client';
import { redirectToLogin } from '../features/auth/redirect';

/**
 * One cache for the app. Requests fail at once and refresh only when a page asks (polling, a
 * mutation's invalidation), as the hand-written loaders did: no retries, no refetch on focus.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false },
    mutations: { retry: false },
  },
});

// A lapsed session, found by any request: to the sign-in page (back here afterwards), and nothing
// of the previous account stays in the cache for the next one.
setSignedOutHandler(() => {
  redirectToLogin();
  queryClient.clear();
});

export function AppProvider({ children }: { children: ReactNode }) {
  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
