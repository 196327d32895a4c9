import type { Env } from '../env';

/** Where a local copy answers when nothing says otherwise (`npm start` without PORT). */
const LOCAL_DEFAULT = 'http://localhost:8787';

/** Development builds and the test pool: anything else is treated as production. */
export function isDevelopment(env: Pick<Env, 'APP_ENV'>): boolean {
  return env.APP_ENV === 'development' || env.APP_ENV === 'test';
}

/**
 * The origin links in emails point to. Locally it follows the running app: `npm start` sets
 * APP_ORIGIN from its PORT. In production it must be APP_ORIGIN, an https origin and nothing more;
 * otherwise the dispatcher refuses to send (emails with links to localhost, or over plain http,
 * would be worse than no email), and `refused` says why in words an operator can act on.
 */
export function emailLinkOrigin(env: Pick<Env, 'APP_ENV' | 'APP_ORIGIN'>): { origin: string } | { refused: string } {
  const configured = (env.APP_ORIGIN ?? '').trim();
  if (isDevelopment(env)) return { origin: configured === '' ? LOCAL_DEFAULT : configured.replace(/\/+$/, '') };
  const fix =
    'Set APP_ORIGIN in wrangler.jsonc vars to the https origin people open the app at (e.g. https://reports.example.com) and deploy again.';
  if (configured === '') return { refused: `APP_ORIGIN is not set. ${fix}` };
  let url: URL;
  try {
    url = new URL(configured);
  } catch {
    return { refused: `APP_ORIGIN "${configured}" is not a URL. ${fix}` };
  }
  if (url.protocol !== 'https:') return { refused: `APP_ORIGIN "${configured}" is not https. ${fix}` };
  if (url.origin !== configured.replace(/\/$/, '')) {
    return { refused: `APP_ORIGIN "${configured}" is not just an origin (no path, query or credentials). ${fix}` };
  }
  return { origin: url.origin };
}
