// The operator command's work, apart from how it reaches D1: each command reads and writes through
// a `Database` (scripts/admin.ts runs `wrangler d1 execute` against the local or the deployed
// database; test/provisioning.test.ts runs the very same commands against the test D1), with the
// SQL the Worker itself uses (src/worker/db/*, bound there, inlined here).

import { z } from 'zod';
import { ROLES, TOKEN_ROLES } from '../../src/worker/auth/roles';
import { createApiTokenParts, listApiTokensPart, newApiToken, revokeApiTokenPart } from '../../src/worker/db/api-tokens';
import {
  createInvitationParts,
  INVITATION_TTL_DAYS,
  invitationUrl,
  listOpenInvitationsPart,
  newInvitationId,
  newInvitationLink,
} from '../../src/worker/db/invitations';
import type { SqlPart } from '../../src/worker/db/sql';
import { newId } from '../../src/worker/ids';
import { inviteEmail } from '../../src/worker/routes/workspaces';

type Row = Record<string, unknown>;

/** Runs the statements in order and gives back each one's rows. */
export interface Database {
  run(parts: SqlPart[]): Promise<Row[][]>;
}

export class CommandError extends Error {}

export interface Context {
  db: Database;
  /** The public origin of the app the links point at (APP_ORIGIN of the environment). */
  origin: string;
  now: number;
}

export type Command =
  | { name: 'workspace create'; workspaceName: string }
  | { name: 'workspace list' }
  | { name: 'invite'; email: string; workspace?: string; role?: string; operator: boolean }
  | { name: 'member list'; workspace: string }
  | { name: 'operator add'; email: string }
  | { name: 'operator remove'; email: string }
  | { name: 'operator list' }
  | { name: 'token create'; workspace: string; tokenName: string; role: string }
  | { name: 'token list'; workspace: string }
  | { name: 'token revoke'; tokenId: string };

/** What a command did: lines for a person, and the same as data (for --json and the tests). */
export interface Outcome {
  lines: string[];
  data: Record<string, unknown>;
}

const workspaceName = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((s) => !/\p{Cc}/u.test(s), 'no control characters');

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new CommandError(`${what}: ${result.error.issues[0]?.message ?? 'invalid'}`);
  return result.data;
}

async function one(db: Database, part: SqlPart): Promise<Row[]> {
  const [rows] = await db.run([part]);
  return rows ?? [];
}

/** A workspace by id or by name (case-insensitive). */
async function resolveWorkspace(db: Database, ref: string): Promise<{ id: string; name: string }> {
  const rows = await one(db, {
    sql: 'SELECT id, name FROM workspaces WHERE id = ? OR name = ? COLLATE NOCASE ORDER BY id',
    values: [ref, ref],
  });
  if (rows.length === 0) throw new CommandError(`No workspace "${ref}". \`npm run admin -- workspace list\` shows them.`);
  if (rows.length > 1) throw new CommandError(`Several workspaces are named "${ref}"; give its id instead.`);
  return rows[0] as { id: string; name: string };
}

async function findPerson(db: Database, email: string): Promise<{ id: string; is_operator: number } | null> {
  const rows = await one(db, {
    sql: "SELECT id, is_operator FROM users WHERE email = ? AND password_hash LIKE 'pbkdf2-%'",
    values: [email],
  });
  return (rows[0] as { id: string; is_operator: number } | undefined) ?? null;
}

function table(rows: Row[], columns: string[]): string[] {
  if (rows.length === 0) return ['(none)'];
  const cell = (v: unknown) =>
    v === null || v === undefined ? '' : typeof v === 'number' && v > 1e12 ? new Date(v).toISOString() : String(v);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))];
}

async function invite(
  ctx: Context,
  a: { email: string; workspace?: { id: string; name: string }; role?: string; operator: boolean },
): Promise<Outcome> {
  const email = parse(inviteEmail, a.email, 'email');
  const role = a.workspace ? parse(z.enum(ROLES), a.role, '--role') : null;
  const id = newInvitationId(ctx.now);
  const expiresAt = ctx.now + INVITATION_TTL_DAYS * 86_400_000;
  const link = await newInvitationLink(id, ctx.now);
  await ctx.db.run([
    ...createInvitationParts({
      id,
      email,
      workspace_id: a.workspace?.id ?? null,
      role,
      make_operator: a.operator,
      invited_by: null,
      now: ctx.now,
      expires_at: expiresAt,
    }),
    link.part,
  ]);
  const url = invitationUrl(ctx.origin, link.token);
  const what = [a.workspace ? `${a.workspace.name} as ${role}` : null, a.operator ? 'platform operator' : null].filter(Boolean);
  return {
    lines: [
      `Invited ${email}: ${what.join(', ')}.`,
      'An email with its own link is on its way (sent by the next cron tick). This link works too, once,',
      `until ${new Date(expiresAt).toISOString()}; hand it over only to ${email}:`,
      '',
      `  ${url}`,
    ],
    data: {
      invitation_id: id,
      email,
      workspace_id: a.workspace?.id ?? null,
      role,
      operator: a.operator,
      url,
      expires_at: expiresAt,
    },
  };
}

export async function runCommand(ctx: Context, command: Command): Promise<Outcome> {
  const { db, now } = ctx;
  switch (command.name) {
    case 'workspace create': {
      const name = parse(workspaceName, command.workspaceName, 'name');
      const id = newId(now);
      await db.run([{ sql: 'INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)', values: [id, name, now] }]);
      return {
        lines: [`Workspace "${name}" created: ${id}`, `Next: npm run admin -- invite <email> --workspace ${id} --role admin`],
        data: { id, name },
      };
    }
    case 'workspace list': {
      const rows = await one(db, {
        sql: `SELECT w.id, w.name,
                     (SELECT COUNT(*) FROM memberships m WHERE m.workspace_id = w.id) AS members,
                     (SELECT COUNT(*) FROM events e WHERE e.workspace_id = w.id) AS events,
                     (SELECT COUNT(*) FROM api_tokens t WHERE t.workspace_id = w.id AND t.revoked_at IS NULL) AS api_tokens
                FROM workspaces w ORDER BY w.name`,
        values: [],
      });
      return { lines: table(rows, ['id', 'name', 'members', 'events', 'api_tokens']), data: { workspaces: rows } };
    }
    case 'invite': {
      if (!command.workspace && !command.operator) {
        throw new CommandError('Name a workspace (--workspace <id or name> --role <role>), or --operator, or both.');
      }
      if (command.workspace && !command.role) throw new CommandError(`--role is required with --workspace: ${ROLES.join(', ')}.`);
      const workspace = command.workspace ? await resolveWorkspace(db, command.workspace) : undefined;
      return invite(ctx, { email: command.email, workspace, role: command.role, operator: command.operator });
    }
    case 'member list': {
      const workspace = await resolveWorkspace(db, command.workspace);
      const [members = [], invitations = []] = await db.run([
        {
          sql: `SELECT u.email, u.name, m.role, u.is_operator AS operator FROM memberships m JOIN users u ON u.id = m.user_id
                 WHERE m.workspace_id = ? ORDER BY u.email`,
          values: [workspace.id],
        },
        listOpenInvitationsPart(workspace.id, now),
      ]);
      return {
        lines: [
          `${workspace.name} (${workspace.id})`,
          ...table(members, ['email', 'name', 'role', 'operator']),
          '',
          'Open invitations:',
          ...table(invitations, ['email', 'role', 'expires_at']),
        ],
        data: { workspace, members, invitations },
      };
    }
    case 'operator add': {
      const email = parse(inviteEmail, command.email, 'email');
      const person = await findPerson(db, email);
      if (!person) return invite(ctx, { email, operator: true });
      await db.run([{ sql: 'UPDATE users SET is_operator = 1 WHERE id = ?', values: [person.id] }]);
      return { lines: [`${email} is now a platform operator.`], data: { email, operator: true, invited: false } };
    }
    case 'operator remove': {
      const person = await findPerson(db, command.email);
      if (!person) throw new CommandError(`No account for ${command.email}.`);
      await db.run([{ sql: 'UPDATE users SET is_operator = 0 WHERE id = ?', values: [person.id] }]);
      return { lines: [`${command.email} is no longer a platform operator.`], data: { email: command.email, operator: false } };
    }
    case 'operator list': {
      const rows = await one(db, {
        sql: 'SELECT email, name, created_at FROM users WHERE is_operator = 1 ORDER BY email',
        values: [],
      });
      const pending = await one(db, {
        sql: `SELECT email, expires_at FROM invitations WHERE make_operator = 1 AND accepted_at IS NULL AND revoked_at IS NULL
                AND expires_at > ? ORDER BY email`,
        values: [now],
      });
      return {
        lines: [
          ...table(rows, ['email', 'name', 'created_at']),
          '',
          'Open operator invitations:',
          ...table(pending, ['email', 'expires_at']),
        ],
        data: { operators: rows, invitations: pending },
      };
    }
    case 'token create': {
      const workspace = await resolveWorkspace(db, command.workspace);
      const name = parse(workspaceName, command.tokenName, '--name');
      const role = parse(z.enum(TOKEN_ROLES), command.role, '--role');
      const fresh = await newApiToken(now);
      await db.run(
        createApiTokenParts({
          id: fresh.id,
          workspace_id: workspace.id,
          name,
          role,
          secretHash: fresh.secretHash,
          created_by: null,
          now,
        }),
      );
      return {
        lines: [
          `API token "${name}" (${role}) for ${workspace.name}: ${fresh.id}`,
          'Shown this once; store it in the platform’s secret store:',
          '',
          `  ${fresh.token}`,
        ],
        data: { id: fresh.id, workspace_id: workspace.id, name, role, token: fresh.token },
      };
    }
    case 'token list': {
      const workspace = await resolveWorkspace(db, command.workspace);
      const rows = await one(db, listApiTokensPart(workspace.id));
      return {
        lines: table(rows, ['id', 'name', 'role', 'created_at', 'last_used_at', 'revoked_at']),
        data: { tokens: rows.map(({ secret_hash: _hash, ...rest }) => rest) },
      };
    }
    case 'token revoke': {
      const [found] = await one(db, { sql: 'SELECT workspace_id FROM api_tokens WHERE id = ?', values: [command.tokenId] });
      if (!found) throw new CommandError(`No API token ${command.tokenId}.`);
      const revoked = await one(db, revokeApiTokenPart(String(found.workspace_id), command.tokenId, null, now));
      if (revoked.length === 0) throw new CommandError(`API token ${command.tokenId} was already revoked.`);
      return { lines: [`API token ${command.tokenId} revoked.`], data: { id: command.tokenId, revoked_at: now } };
    }
  }
}
