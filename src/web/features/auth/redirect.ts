import { navigate } from '../../app/router';

/** `/login`, carrying the page to come back to unless it is the home page. */
export function loginPath(next: string): string {
  if (next === '/' || next === '' || next.startsWith('/login')) return '/login';
  return `/login?next=${encodeURIComponent(next)}`;
}

/**
 * Sends a signed-out visitor to the sign-in page, to come back here afterwards. Once there, a
 * second signal (another request of the page that was open) keeps the return path.
 */
export function redirectToLogin(): void {
  if (window.location.pathname.startsWith('/login')) return;
  navigate(loginPath(window.location.pathname + window.location.search), { replace: true });
}

/**
 * The `next` parameter if it is a path on this site ("/…", not "//host" or "/\host"),
 * normalized to path + query + hash; otherwise null.
 */
export function safeNextPath(raw: string | null): string | null {
  if (!raw?.startsWith('/') || raw.startsWith('//') || raw.startsWith('/\\')) return null;
  try {
    const url = new URL(raw, window.location.origin);
    if (url.origin !== window.location.origin) return null;
    return url.pathname + url.search + url.hash;
  } catch {
    return null;
  }
}

/** After signing in: API paths (e.g. a download link) need a real browser navigation. */
export function goToNext(raw: string | null): void {
  const next = safeNextPath(raw);
  if (next?.startsWith('/v1/')) {
    window.location.assign(next);
    return;
  }
  navigate(next && !next.startsWith('/login') ? next : '/', { replace: true });
}
