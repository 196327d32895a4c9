import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../hono';
import { newToken, toHex } from '../ids';
import { importHmacKey, unhex } from '../signing';

// Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies"): a browser that
// signed in to an account before carries a signed note saying so, and its sign-in attempts are
// throttled on their own, so strangers guessing that account's password cannot lock it out.

export const DEVICE_COOKIE = 'voyage_device';
const DEVICE_TTL_SECONDS = 180 * 24 * 3600;
const encoder = new TextEncoder();

/** Domain-separated from download links, which the same secret signs. */
const message = (email: string, device: string) => encoder.encode(`login-device\n${email.trim().toLowerCase()}\n${device}`);

async function sign(secret: string, email: string, device: string): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', await importHmacKey(secret), message(email, device)));
}

/** The device id of this browser's cookie when it was issued for `email`, else null. */
export async function knownDevice(c: Context<AppEnv>, email: string): Promise<string | null> {
  const [device, signature] = (getCookie(c, DEVICE_COOKIE) ?? '').split('.');
  const given = unhex(signature ?? '');
  if (!device || !/^[0-9a-f]{64}$/.test(device) || !given || !c.env.REPORT_DOWNLOAD_SIGNING_SECRET) return null;
  const key = await importHmacKey(c.env.REPORT_DOWNLOAD_SIGNING_SECRET);
  return (await crypto.subtle.verify('HMAC', key, given, message(email, device))) ? device : null;
}

/** After a correct password: this browser is known to the account from now on (the same id if it was). */
export async function rememberDevice(c: Context<AppEnv>, email: string, device: string | null): Promise<void> {
  const id = device ?? newToken();
  setCookie(c, DEVICE_COOKIE, `${id}.${await sign(c.env.REPORT_DOWNLOAD_SIGNING_SECRET, email, id)}`, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: new URL(c.req.url).protocol === 'https:',
    path: '/v1/auth',
    maxAge: DEVICE_TTL_SECONDS,
  });
}
