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

/** A report's signed download link: its event and job. */
const DOWNLOAD_LINK = /^\/v1\/admin\/events\/([a-z0-9]+)\/reports\/jobs\/([a-z0-9]+)\/download\?/;

/** The report center pointing at a job whose download was just started (?highlight=…&download=started). */
export function downloadStartedPath(eventId: string, jobId: string): string {
  return `/admin/events/${eventId}/reports?highlight=${jobId}&download=started`;
}

/**
 * After signing in: API paths (e.g. a download link) need a real browser navigation. A download
 * link answers with a file, which leaves the page where it was (a greyed-out sign-in form), so the
 * page first moves to the report center with the job pointed out, then the download starts. A
 * refusal (expired, removed) is a Voyage page and replaces it.
 */
export function goToNext(raw: string | null): void {
  const next = safeNextPath(raw);
  const download = next ? DOWNLOAD_LINK.exec(next) : null;
  if (next && download?.[1] && download[2]) {
    navigate(downloadStartedPath(download[1], download[2]), { replace: true });
    window.location.assign(next);
    return;
  }
  if (next?.startsWith('/v1/')) {
    window.location.assign(next);
    return;
  }
  navigate(next && !next.startsWith('/login') ? next : '/', { replace: true });
}
