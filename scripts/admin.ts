// `npm run admin -- <command>`: the operator's provisioning command. Workspaces, invitations (the
// first operator's included), operators and API tokens, written with `wrangler d1 execute` into the
// local database of `npm start` (default) or, with --remote, the deployed one. See `--help`.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { inlineSql, type SqlPart } from '../src/worker/db/sql';
import { type Command, CommandError, type Database, runCommand } from './admin/commands';

const root = join(import.meta.dirname, '..');
const wrangler = join(root, 'node_modules', '.bin', 'wrangler');

const USAGE = `Usage: npm run admin -- [--remote] [--env production|staging] <command>

Workspaces
  workspace create <name>                        create a workspace; prints its id
  workspace list                                 workspaces with their member, event and token counts
People (each gets a one-time link, by email and printed here, to choose a password)
  invite <email> --workspace <id|name> --role <admin|organizer|viewer|staff> [--operator]
  invite <email> --operator                      an operator account with no workspace (the first operator)
  member list <workspace id|name>                members and open invitations
  operator add <email>                           make an existing account an operator (else invite one)
  operator remove <email>
  operator list
API tokens (the events platform's access: ingest and report jobs)
  token create --workspace <id|name> --name <what uses it> [--role admin|organizer|viewer]   (default admin)
  token list --workspace <id|name>
  token revoke <token id>

Where
  (default)            the local database of npm start (.wrangler/state, or PERSIST_DIR, or --persist-to <dir>)
  --remote             the deployed database (wrangler d1 execute --remote); with --env, that environment's
  --env <name>         the wrangler.jsonc environment: its database and its APP_ORIGIN for the links
  --origin <url>       the app's public origin for links, if not the environment's APP_ORIGIN
  --json               print what was done as JSON`;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    remote: { type: 'boolean', default: false },
    env: { type: 'string' },
    'persist-to': { type: 'string' },
    origin: { type: 'string' },
    workspace: { type: 'string' },
    role: { type: 'string' },
    operator: { type: 'boolean', default: false },
    name: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

function command(): Command {
  const [group, verb, arg] = positionals;
  const need = (value: string | undefined, what: string): string => value ?? fail(`Missing ${what}.\n\n${USAGE}`);
  switch (`${group} ${group === 'invite' ? '' : (verb ?? '')}`.trim()) {
    case 'workspace create':
      return { name: 'workspace create', workspaceName: need(arg, 'the workspace name') };
    case 'workspace list':
      return { name: 'workspace list' };
    case 'invite':
      return {
        name: 'invite',
        email: need(verb, 'the email'),
        workspace: flags.workspace,
        role: flags.role,
        operator: flags.operator === true,
      };
    case 'member list':
      return { name: 'member list', workspace: need(arg ?? flags.workspace, 'the workspace') };
    case 'operator add':
      return { name: 'operator add', email: need(arg, 'the email') };
    case 'operator remove':
      return { name: 'operator remove', email: need(arg, 'the email') };
    case 'operator list':
      return { name: 'operator list' };
    case 'token create':
      return {
        name: 'token create',
        workspace: need(flags.workspace, '--workspace'),
        tokenName: need(flags.name, '--name'),
        role: flags.role ?? 'admin',
      };
    case 'token list':
      return { name: 'token list', workspace: need(arg ?? flags.workspace, '--workspace') };
    case 'token revoke':
      return { name: 'token revoke', tokenId: need(arg, 'the token id') };
    default:
      return fail(USAGE);
  }
}

function where(): string[] {
  const env = flags.env ? ['--env', flags.env] : [];
  if (flags.remote) return ['--remote', ...env];
  return ['--local', '--persist-to', flags['persist-to'] ?? process.env.PERSIST_DIR ?? '.wrangler/state', ...env];
}

/** `wrangler d1 execute DB --command "<statements>" --json`: one result per statement, in order. */
const database: Database = {
  async run(parts: SqlPart[]) {
    if (parts.length === 0) return [];
    const sql = parts.map(inlineSql).join(';\n');
    const result = spawnSync(wrangler, ['d1', 'execute', 'DB', '--json', '--command', sql, ...where()], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, WRANGLER_SEND_METRICS: 'false' },
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.stdout);
    } catch {
      parsed = undefined;
    }
    if (result.status !== 0 || !Array.isArray(parsed)) {
      const reason =
        (parsed as { error?: { text?: string } } | undefined)?.error?.text ?? `${result.stderr}${result.stdout}`.trim();
      throw new CommandError(`wrangler d1 execute failed: ${reason}`);
    }
    return (parsed as { results?: Record<string, unknown>[] }[]).map((r) => r.results ?? []);
  },
};

/** The origin links point at: --origin, else the environment's APP_ORIGIN in wrangler.jsonc. */
async function origin(): Promise<string> {
  if (flags.origin) return flags.origin;
  const { unstable_readConfig } = await import('wrangler');
  const level = process.env.WRANGLER_LOG;
  process.env.WRANGLER_LOG = 'error'; // not the config's warnings again on every command
  const config = unstable_readConfig({ config: join(root, 'wrangler.jsonc'), env: flags.env });
  if (level === undefined) delete process.env.WRANGLER_LOG;
  else process.env.WRANGLER_LOG = level;
  const configured = config.vars.APP_ORIGIN;
  if (typeof configured !== 'string') fail('No APP_ORIGIN in wrangler.jsonc for this environment; pass --origin <url>.');
  return configured;
}

async function main(): Promise<void> {
  if (flags.help || positionals.length === 0) {
    console.log(USAGE);
    return;
  }
  const cmd = command();
  try {
    const outcome = await runCommand({ db: database, origin: await origin(), now: Date.now() }, cmd);
    console.log(flags.json ? JSON.stringify(outcome.data, null, 2) : outcome.lines.join('\n'));
  } catch (err) {
    if (err instanceof CommandError) fail(err.message);
    throw err;
  }
}

await main();
