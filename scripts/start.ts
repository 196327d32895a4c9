// `npm start`: build the UI, apply migrations, load demo data (once), then run the Worker with
// wrangler dev on http://localhost:8787 and fire its cron every minute, as production would.
// PORT, PERSIST_DIR and RESET_STATE let the browser suite start its own copy with its own database;
// EXTRA_VARS (a JSON object) overrides vars of wrangler.jsonc, e.g. a smaller ceiling to exercise. Its
// email links point at http://localhost:<PORT> (or APP_ORIGIN when it is set).

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD, DEMO_USERS, demoSql } from './demo-data';
import { localNotes, miniflareDirs } from './start-notes';

const root = join(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 8787);
/** Links in emails follow the running app: its own port, unless APP_ORIGIN says otherwise (a tunnel). */
const appOrigin = process.env.APP_ORIGIN ?? `http://localhost:${port}`;
const persistDir = process.env.PERSIST_DIR ?? '.wrangler/state';
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');
const skipBuild = process.env.SKIP_BUILD === '1';

function run(cmd: string, args: string[], options: { quiet?: boolean } = {}): string {
  const result = spawnSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    stdio: options.quiet ? 'pipe' : 'inherit',
    env: process.env,
  });
  if (result.status !== 0) {
    if (options.quiet) process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
  }
  return result.stdout ?? '';
}

function d1(args: string[]): string {
  return run(wrangler, ['d1', ...args, '--local', '--persist-to', persistDir], { quiet: true });
}

/**
 * .dev.vars from the example on the first run; later, the keys the example gained since (a checkout
 * from before a new secret existed) are appended with their example values. Values already set stay.
 */
function ensureDevVars(): void {
  const file = join(root, '.dev.vars');
  const example = join(root, '.dev.vars.example');
  if (!existsSync(file)) {
    copyFileSync(example, file);
    return;
  }
  const keyOf = (line: string) => /^([A-Z0-9_]+)=/.exec(line)?.[1];
  const present = new Set(readFileSync(file, 'utf8').split('\n').map(keyOf));
  const missing = readFileSync(example, 'utf8')
    .split('\n')
    .filter((line) => keyOf(line) !== undefined && !present.has(keyOf(line)));
  if (missing.length === 0) return;
  const current = readFileSync(file, 'utf8');
  writeFileSync(file, `${current}${current.endsWith('\n') ? '' : '\n'}${missing.join('\n')}\n`);
  console.log(`.dev.vars: added ${missing.map(keyOf).join(', ')} from .dev.vars.example.`);
}

function seedDemoData(): void {
  const out = d1(['execute', 'DB', '--json', '--command', "SELECT COUNT(*) AS n FROM users WHERE email = 'admin@acme.test'"]);
  const seeded = (JSON.parse(out) as { results: { n: number }[] }[])[0]?.results[0]?.n === 1;
  if (seeded) {
    console.log('Demo data already present.');
    return;
  }
  const file = join(root, '.wrangler', 'demo-seed.sql');
  mkdirSync(join(root, '.wrangler'), { recursive: true });
  writeFileSync(file, demoSql());
  d1(['execute', 'DB', '--file', file, '--yes']);
  console.log('Demo data loaded.');
}

/** `--var KEY:VALUE` for each entry of EXTRA_VARS. */
function extraVars(): string[] {
  const vars = JSON.parse(process.env.EXTRA_VARS ?? '{}') as Record<string, string>;
  return Object.entries(vars).flatMap(([key, value]) => ['--var', `${key}:${value}`]);
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error('wrangler dev exited before it was ready');
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within 150 s`);
}

async function main(): Promise<void> {
  // The browser suite asks for a database of its own, fresh on every run.
  if (process.env.RESET_STATE === '1') rmSync(join(root, persistDir), { recursive: true, force: true });
  ensureDevVars();
  if (!skipBuild) run(join(root, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn']);
  console.log('Applying migrations…');
  d1(['migrations', 'apply', 'DB']);
  seedDemoData();

  const startedAt = Date.now();
  const child = spawn(
    wrangler,
    [
      'dev',
      '--port',
      String(port),
      '--ip',
      '127.0.0.1',
      '--persist-to',
      persistDir,
      '--show-interactive-dev-session=false',
      '--log-level',
      'warn',
      // The development routes (cron tick, clock) of this local copy. Not in .dev.vars: wrangler
      // loads only the `secrets.required` of wrangler.jsonc from there.
      '--var',
      'APP_ENV:development',
      '--var',
      `APP_ORIGIN:${appOrigin}`,
      ...extraVars(),
    ],
    { cwd: root, stdio: 'inherit', env: process.env },
  );
  const stop = () => child.kill('SIGTERM');
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', (code) => process.exit(code ?? 0));

  const base = `http://localhost:${port}`;
  await waitForServer(`${base}/v1/me`, child);
  // wrangler dev does not fire crons by itself, and its /cdn-cgi/handler/scheduled does not reach a
  // Worker that has static assets: tick the lifecycle through the development-only route instead.
  const tick = () =>
    fetch(`${base}/v1/dev/cron`, { method: 'POST' })
      .then((res) => {
        if (!res.ok) console.warn(`cron tick answered ${res.status}`);
      })
      .catch((err: unknown) => console.warn(`cron tick failed: ${String(err)}`));
  setInterval(tick, 60_000);

  console.log(`\nVoyage Reports is running at ${base}\n`);
  console.log(`Demo sign-ins (password "${DEMO_PASSWORD}"):`);
  for (const u of DEMO_USERS)
    console.log(`  ${u.email.padEnd(24)} ${u.role.padEnd(10)} ${u.workspace === 'wsacme' ? 'Acme Events' : 'Globex'}`);
  console.log('');
  // wrangler prints its own cron hint, which is wrong here, and (at --log-level warn) not where emails go.
  for (const line of localNotes(base, miniflareDirs(startedAt)[0] ?? null)) console.log(line);
  console.log('');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
