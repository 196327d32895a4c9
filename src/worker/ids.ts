// Lowercase ULIDs: time-ordered, URL-safe ([0-9a-z]), 26 characters. Written here because the
// ulid packages emit uppercase and pull in a Node crypto fallback we do not need on Workers.
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newId(now: number): string {
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const random = crypto.getRandomValues(new Uint8Array(16));
  let rand = '';
  for (const byte of random) rand += ALPHABET[byte % 32];
  return time + rand;
}

/** A secret token (sessions, claim tokens): 32 random bytes, hex. */
export function newToken(): string {
  return toHex(crypto.getRandomValues(new Uint8Array(32)));
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const b of view) out += b.toString(16).padStart(2, '0');
  return out;
}

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
}
