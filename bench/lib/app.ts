// The app under test, in its own state: seeded with scripts/seed.ts, bench users added with the same
// PBKDF2 format as the demo users, then served by `wrangler dev` with the vars the bench needs.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_PASSWORD, hashPassword, sql } from '../../scripts/demo-data';
import { workerdPids } from './proc';

export const root = join(import.meta.dirname, '..', '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

export function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const result = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', stdio: 'pipe', env, maxBuffer: 256 * 1024 * 1024 });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}`);
  }
  return result.stdout ?? '';
}

export function d1(persistDir: string, args: string[]): string {
  return sh(bin('wrangler'), ['d1', ...args, '--local', '--persist-to', persistDir]);
}

/** A large event, generated inside SQLite by the project's seed script (demo data comes along once). */
export function seedEvent(persistDir: string, eventId: string, orders: number): void {
  sh(bin('tsx'), [join(root, 'scripts', 'seed.ts'), '--persist-to', persistDir, '--event', eventId, '--orders', String(orders)]);
}

export interface BenchUser {
  id: string;
  email: string;
}

/** Organizers of Acme Events, written straight into D1 (the app has no sign-up). */
export function addUsers(persistDir: string, count: number): BenchUser[] {
  const users = Array.from({ length: count }, (_, i) => ({ id: `usbench${i + 1}`, email: `bench${i + 1}@bench.test` }));
  const now = Date.UTC(2026, 0, 5);
  const statements = users.flatMap((u, i) => [
    `INSERT OR IGNORE INTO users (id, email, name, password_hash, created_at) VALUES (${sql(u.id)}, ${sql(u.email)}, ${sql(`Bench User ${i + 1}`)}, ${sql(hashPassword(DEMO_PASSWORD, u.email))}, ${now});`,
    `INSERT OR IGNORE INTO memberships (workspace_id, user_id, role, created_at, updated_at) VALUES ('wsacme', ${sql(u.id)}, 'organizer', ${now}, ${now});`,
  ]);
  const dir = join(root, '.wrangler', 'bench-tmp');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'users.sql');
  writeFileSync(file, `${statements.join('\n')}\n`);
  d1(persistDir, ['execute', 'DB', '--file', file, '--yes']);
  return users;
}

/** The SQLite file D1 uses locally (the one that is not Miniflare's metadata). */
export function sqliteFile(persistDir: string): string {
  const dir = resolve(root, persistDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
  const files = readdirSync(dir).filter((f) => f.endsWith('.sqlite') && f !== 'metadata.sqlite');
  if (files.length !== 1) throw new Error(`expected one D1 database in ${dir}, found ${files.join(', ') || 'none'}`);
  return join(dir, files[0] as string);
}

export function resetState(persistDir: string): void {
  rmSync(resolve(root, persistDir), { recursive: true, force: true });
  if (!existsSync(join(root, '.dev.vars'))) copyFileSync(join(root, '.dev.vars.example'), join(root, '.dev.vars'));
}

export function ensureBuilt(): void {
  if (existsSync(join(root, 'dist', 'client', 'index.html')) && process.env.BENCH_BUILD !== '1') return;
  sh(bin('vite'), ['build', '--logLevel', 'warn']);
}

export interface App {
  base: string;
  pid: number;
  logFile: string;
  workerd(): number[];
  stop(): Promise<void>;
}

/** `wrangler dev` on the bench's own port and state, with extra `--var`s; resolves once it answers. */
export async function startApp(options: {
  port: number;
  persistDir: string;
  vars: Record<string, string>;
  config?: string;
  logName?: string;
}): Promise<App> {
  const logFile = join(root, '.wrangler', 'bench-tmp', options.logName ?? `wrangler-${options.port}.log`);
  mkdirSync(join(root, '.wrangler', 'bench-tmp'), { recursive: true });
  const out = openSync(logFile, 'w');
  const args = [
    'dev',
    ...(options.config ? ['--config', options.config] : []),
    '--port',
    String(options.port),
    '--ip',
    '127.0.0.1',
    '--inspector-port',
    String(options.port + 1000),
    '--persist-to',
    options.persistDir,
    '--show-interactive-dev-session=false',
    '--log-level',
    'warn',
    ...Object.entries(options.vars).flatMap(([k, v]) => ['--var', `${k}:${v}`]),
  ];
  const child: ChildProcess = spawn(bin('wrangler'), args, {
    cwd: root,
    stdio: ['ignore', out, out],
    env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    detached: true,
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error('wrangler dev did not start');
  const base = `http://127.0.0.1:${options.port}`;
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      process.kill(-pid, 'SIGTERM'); // the process group we started: wrangler, its node child, workerd
    } catch {
      // already gone
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (child.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  for (let i = 0; i < 480; i++) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with ${child.exitCode}; see ${logFile}`);
    try {
      const res = await fetch(`${base}/v1/auth/session`);
      if (res.status < 500 && workerdPids(pid).length > 0) return { base, pid, logFile, workerd: () => workerdPids(pid), stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  throw new Error(`${base} did not answer within 120 s; see ${logFile}`);
}
