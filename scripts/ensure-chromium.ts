// Browser tests drive Debian's Chromium (never a downloaded browser build). Find it through
// CHROMIUM_PATH or /usr/bin/chromium; on a fresh machine where we are root with apt, install it.

import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function chromiumPath(): string {
  return process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
}

function main(): void {
  const path = chromiumPath();
  if (existsSync(path)) return;
  const isRoot = process.getuid?.() === 0;
  if (!process.env.CHROMIUM_PATH && isRoot && existsSync('/usr/bin/apt-get')) {
    console.log('Chromium not found: installing Debian’s chromium package…');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (existsSync(path)) return;
  }
  console.error(`Chromium is needed for the browser tests: install it (sudo apt-get install chromium) or set CHROMIUM_PATH.`);
  process.exit(1);
}

if (process.argv[1]?.endsWith('ensure-chromium.ts')) main();
