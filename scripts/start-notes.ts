// What `npm start` says about the two things that work differently locally: email and the cron.

import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where wrangler (Miniflare) writes the emails of the `send_email` binding: text and HTML, one file each. */
export const EMAIL_DIRS = ['email-text', 'email-html'] as const;

/** The Miniflare state directories under the system temp directory created since `since` (newest first). */
export function miniflareDirs(since = 0): string[] {
  const root = tmpdir();
  return readdirSync(root)
    .filter((name) => name.startsWith('miniflare-'))
    .map((name) => join(root, name))
    .filter((dir) => statSync(dir).mtimeMs >= since)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
}

/** The lines printed under "Voyage Reports is running": emails on disk, the cron ticked by us. */
export function localNotes(base: string, emailRoot: string | null): string[] {
  const where = emailRoot ?? join(tmpdir(), 'miniflare-*');
  return [
    'Emails are not sent from this machine: wrangler writes each one to a file, the text in',
    `  ${join(where, 'files', EMAIL_DIRS[0])}/ and the HTML in ${join(where, 'files', EMAIL_DIRS[1])}/.`,
    `The lifecycle (stuck jobs, sweeper, outbox) runs every minute: this command ticks it through POST ${base}/v1/dev/cron.`,
    "  wrangler's hint about /cdn-cgi/handler/scheduled does not apply: that route does not reach a Worker with static assets.",
  ];
}
