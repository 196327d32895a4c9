import { type Env, settings } from './env';
import { toHex } from './ids';

// Signed download URLs: HMAC-SHA256 over the method, the path and the expiry, keyed by
// REPORT_DOWNLOAD_SIGNING_SECRET. `crypto.subtle.verify` compares in constant time.

const encoder = new TextEncoder();

/** Imported keys by secret: a jobs page signs a link per row, and importing is the costly half. */
const keys = new Map<string, Promise<CryptoKey>>();

/** An HMAC-SHA256 key for signing and verifying (download links here, email webhooks too). */
export function importHmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    // Rotations are rare; a handful of secrets per isolate at most.
    if (keys.size > 8) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

const message = (method: string, path: string, expires: number) => encoder.encode(`${method}\n${path}\n${expires}`);

/** A SHA-256 digest from its 64 hex characters, or null for anything else. */
export function unhex(text: string): Uint8Array | null {
  if (!/^[0-9a-f]{64}$/.test(text)) return null;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export async function signDownloadPath(secret: string, path: string, expires: number, method = 'GET'): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', await importHmacKey(secret), message(method, path, expires)));
}

/** A signed URL (path and query) valid until `expires` (unix seconds). */
export async function signDownloadUrl(secret: string, path: string, expires: number): Promise<string> {
  const signature = await signDownloadPath(secret, path, expires);
  return `${path}?expires=${expires}&signature=${signature}`;
}

/** True when any of the given secrets (current first, then previous ones) signed this request. */
export async function verifyDownloadSignature(
  secrets: readonly string[],
  path: string,
  expires: number,
  signature: string,
  method = 'GET',
): Promise<boolean> {
  const given = unhex(signature);
  if (!given) return false;
  for (const secret of secrets) {
    if (await crypto.subtle.verify('HMAC', await importHmacKey(secret), given, message(method, path, expires))) return true;
  }
  return false;
}

/** The download path of a job; signed URLs cover exactly this string. */
export function downloadPath(eventId: string, jobId: string): string {
  return `/v1/admin/events/${eventId}/reports/jobs/${jobId}/download`;
}

/**
 * When a link handed out now expires (unix seconds): the configured TTL, rounded up to a step of
 * 1/64 of it (at most an hour), so that a list polled every few seconds hands out the same URL for
 * a while instead of a new one per poll, and a link never lives more than ~1.6% past its TTL.
 */
export function linkExpiry(env: Env, now: number): number {
  const ttl = settings(env).downloadUrlTtlSeconds;
  const step = Math.min(3600, Math.floor(ttl / 64));
  const seconds = Math.floor(now / 1000) + ttl;
  return step <= 1 ? seconds : Math.ceil(seconds / step) * step;
}
