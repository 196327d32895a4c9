// `npm run deploy [-- --env staging] [-- --dry-run]`: check the environment's configuration, build the
// UI, apply the migrations to its D1, and deploy the Worker. Production unless --env says otherwise.
// `wrangler deploy` itself refuses while a secret of `secrets.required` is unset, and the Worker
// checks its configuration again on its first request (src/worker/config.ts).

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const root = join(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

const { values } = parseArgs({
  options: { env: { type: 'string', default: 'production' }, 'dry-run': { type: 'boolean', default: false } },
});
const env = values.env ?? 'production';
const dryRun = values['dry-run'] === true;

/** What an operator still has to fill in before this environment can be deployed. */
function unfinishedConfig(config: { vars: Record<string, unknown>; d1_databases: { database_id?: string }[] }): string[] {
  const problems: string[] = [];
  const databaseId = config.d1_databases[0]?.database_id ?? '';
  if (/^0{8}-/.test(databaseId))
    problems.push('d1_databases[0].database_id is the placeholder: put the id `npx wrangler d1 create` printed');
  const origin = String(config.vars.APP_ORIGIN ?? '');
  if (!URL.canParse(origin) || new URL(origin).protocol !== 'https:')
    problems.push(`APP_ORIGIN must be an https URL (it is "${origin}")`);
  else if (new URL(origin).hostname.endsWith('.example'))
    problems.push(`APP_ORIGIN is the example ${origin}: put your app's public URL`);
  const from = String(config.vars.EMAIL_FROM ?? '');
  if (from.endsWith('.example')) problems.push(`EMAIL_FROM is the example ${from}: put a sender on your Email Sending domain`);
  return problems;
}

function run(cmd: string, args: string[]): void {
  console.log(`\n$ ${[cmd.replace(`${root}/`, ''), ...args].join(' ')}`);
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function main(): Promise<void> {
  const { unstable_readConfig } = await import('wrangler');
  const config = unstable_readConfig({ config: join(root, 'wrangler.jsonc'), env });
  const problems = unfinishedConfig(config);
  if (problems.length > 0) {
    const message = `wrangler.jsonc env.${env} is not ready to deploy:\n${problems.map((p) => `  - ${p}`).join('\n')}`;
    if (!dryRun) {
      console.error(message);
      process.exit(1);
    }
    console.warn(`${message}\n(--dry-run: going on)`);
  }
  run(bin('vite'), ['build', '--logLevel', 'warn']);
  if (!dryRun) run(bin('wrangler'), ['d1', 'migrations', 'apply', 'DB', '--remote', '--env', env]);
  run(bin('wrangler'), ['deploy', '--env', env, ...(dryRun ? ['--dry-run', '--outdir', 'dist/worker'] : [])]);
}

await main();
