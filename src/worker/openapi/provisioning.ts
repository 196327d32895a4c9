// The provisioning side of the API reference: accepting an invitation, workspace administration
// (API tokens, members), and the token API (ingest of the platform's data, report jobs by token).
// document.ts adds these operations to its own; the same rules hold (request schemas are the ones
// the routes validate with; examples are checked against both schemas by test/openapi.test.ts).

import { z } from 'zod';
import { TOKEN_ROLES } from '../db/api-tokens';
import {
  deleteBody,
  eventsDeleteBody,
  eventsUpsertBody,
  INGEST_TABLE_NAMES,
  type IngestTableName,
  MAX_BATCH_ROWS,
  upsertBodies,
} from '../ingest/tables';
import { createBody, listQuery as jobListQuery } from '../jobs/requests';
import { acceptBody, inspectBody } from '../routes/invitations';
import { createTokenBody, inviteBody } from '../routes/workspaces';
import type { OperationSpec } from './document';
import { jobExample, queuedJobExample } from './examples';
import * as S from './schemas';

const id = z.string().regex(/^[a-z0-9]+$/);
const epochMs = z.number().int().describe('Epoch milliseconds (UTC).');
const role = z.enum(['admin', 'organizer', 'viewer', 'staff']);

export const apiToken = z.object({
  id,
  workspace_id: id,
  name: z.string(),
  role: z.enum(TOKEN_ROLES),
  prefix: z.string().describe('The start of the token (`vrt_<id>_`), to recognise it; the secret is never shown again.'),
  created_by: id.nullable().describe('null: made by the operator command.'),
  created_by_name: z.string().nullable(),
  created_at: epochMs,
  last_used_at: epochMs.nullable().describe('Kept to the minute.'),
  revoked_at: epochMs.nullable(),
});
const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    data: z.array(item),
    page: z.number().int(),
    limit: z.number().int(),
    total: z.number().int(),
    hasMore: z.boolean(),
  });
export const apiTokenList = listOf(apiToken);
export const apiTokenCreated = z.object({
  token: z
    .string()
    .regex(/^vrt_[0-9a-z]{26}_[0-9a-f]{64}$/)
    .describe('The token itself: shown this once, stored only as a hash.'),
  api_token: apiToken,
});
export const tokenInfo = z.object({
  id,
  name: z.string(),
  role: z.enum(TOKEN_ROLES),
  workspace_id: id,
  workspace_name: z.string(),
});
export const members = z.object({
  data: z.array(z.object({ user_id: id, email: z.string(), name: z.string(), role, created_at: epochMs })),
  invitations: z.array(
    z.object({
      id,
      email: z.string(),
      role: role.nullable(),
      make_operator: z.number().int(),
      created_at: epochMs,
      expires_at: epochMs,
    }),
  ),
});
export const invitationCreated = z.object({ id, email: z.string(), role, expires_at: epochMs });
export const invitationInfo = z.object({
  email: z.string(),
  workspace_id: id.nullable(),
  workspace_name: z.string().nullable(),
  role: role.nullable(),
  operator: z.boolean().describe('The invitation also makes the person a platform operator.'),
  invited_by_name: z.string().nullable(),
  expires_at: epochMs,
  account_exists: z.boolean().describe('true: accepting adds the membership to the existing account (no password asked).'),
});
export const acceptResponse = z.object({
  accepted: z.literal(true),
  email: z.string(),
  workspace_id: id.nullable(),
  signed_in: z.boolean().describe('true for a new account (the session cookie is set); an existing one signs in as usual.'),
  memberships: z.array(S.membership).optional(),
});
export const upsertResponse = z.object({
  table: z.string(),
  received: z.number().int(),
  written: z.number().int().describe('Rows inserted or changed.'),
  unchanged: z.number().int().describe('Rows identical to what is stored: nothing written, no version kept.'),
});
export const deleteResponse = z.object({ table: z.string(), received: z.number().int(), deleted: z.number().int() });
export const apiJob = S.job.extend({
  download_url: z
    .string()
    .nullable()
    .describe('GET it with the same token once `status` is completed (no signature: the token is the credential).'),
});
export const apiJobList = listOf(apiJob);

const T = 1_767_225_600_000;
const tokenExample = {
  id: '01kq3m2v8x00000000000000t1',
  workspace_id: 'wsacme',
  name: 'Voyage platform sync',
  role: 'admin',
  prefix: 'vrt_01kq3m2v8x00000000000000t1_',
  created_by: 'uadmin',
  created_by_name: 'Ada Admin',
  created_at: T,
  last_used_at: T + 60_000,
  revoked_at: null,
};
const apiJobExample = {
  ...jobExample,
  requested_by: 'tok01kq3m2v8x00000000000000t1',
  requested_by_name: 'Voyage platform sync (API token)',
  download_url: `/v1/api/events/evacmesummit/reports/jobs/${jobExample.job_id}/download`,
  download_url_expires_at: null,
};

/** One valid row per table, for the reference (and checked against the table's schema by the tests). */
const ROW_EXAMPLES: Record<IngestTableName, Record<string, unknown>> = {
  guests: {
    id: 'g-1001',
    first_name: 'Ada',
    last_name: 'Lovelace',
    email: 'ada@example.com',
    company: 'Analytical Engines',
    ticket_type: 'VIP',
    rsvp_status: 'attending',
    registered_at: T,
    checked_in_at: null,
  },
  ticket_types: { id: 'tt-vip', name: 'VIP', currency: 'EUR', price_cents: 24900, capacity: 200, sort_order: 1 },
  ticket_blocks: { id: 'tb-press', ticket_type_id: 'tt-vip', name: 'Press', held_for: 'Press office', allocated: 20 },
  orders: {
    id: 'o-5001',
    order_number: 'A-5001',
    buyer_name: 'Ada Lovelace',
    buyer_email: 'ada@example.com',
    status: 'paid',
    currency: 'EUR',
    total_cents: 24900,
    refunded_cents: 0,
    ticket_count: 1,
    placed_at: T,
  },
  order_items: {
    id: 'oi-1',
    order_id: 'o-5001',
    ticket_type_id: 'tt-vip',
    ticket_block_id: null,
    quantity: 1,
    unit_price_cents: 24900,
    refunded_quantity: 0,
    refunded_cents: 0,
  },
  check_ins: {
    id: 'ci-1',
    guest_id: 'g-1001',
    scanned_at: T + 86_400_000,
    entrance: 'North',
    device: 'scanner-2',
    scanned_by: 'Sam',
  },
  sponsors: { id: 'sp-1', name: 'Globex', tier: 'gold' },
  sponsor_leads: {
    id: 'sl-1',
    sponsor_id: 'sp-1',
    guest_id: 'g-1001',
    full_name: 'Ada Lovelace',
    email: 'ada@example.com',
    company: 'Analytical Engines',
    job_title: 'Mathematician',
    rating: 'hot',
    notes: 'Wants a demo',
    scanned_by: 'Booth 4',
    scanned_at: T + 90_000_000,
  },
  email_messages: {
    id: 'em-1',
    campaign: 'Welcome',
    subject: 'See you soon',
    recipient: 'ada@example.com',
    guest_id: 'g-1001',
    sent_at: T,
  },
  email_events: { id: 'ee-1', message_id: 'em-1', kind: 'delivered', detail: '', occurred_at: T + 5_000 },
  activity_log: { id: 'al-1', occurred_at: T, actor_type: 'guest', actor_name: 'Ada Lovelace', action: 'registered', detail: '' },
};

const json = (schema: z.ZodType, example: unknown, description = 'OK') => ({ description, schema, example });
const EVENT_JOBS = '/v1/api/events/:eventId/reports/jobs';

const ingestOperations: OperationSpec[] = INGEST_TABLE_NAMES.flatMap((table): OperationSpec[] => [
  {
    method: 'put',
    path: `/v1/api/events/:eventId/${table}`,
    tag: 'Ingest',
    summary: `Upsert ${table.replace('_', ' ')}`,
    description: `Inserts new rows and updates changed ones, by the platform's own \`id\`, in one transaction (up to ${MAX_BATCH_ROWS} rows). A row pushed again unchanged writes nothing. Every change keeps the previous version, so reports already asked for still describe the event as it was. Needs an admin token.`,
    auth: 'token',
    body: upsertBodies[table],
    bodyExample: { data: [ROW_EXAMPLES[table]] },
    errors: [400, 404, 409, 413],
    responses: { 200: json(upsertResponse, { table, received: 1, written: 1, unchanged: 0 }) },
  },
  {
    method: 'post',
    path: `/v1/api/events/:eventId/${table}/delete`,
    tag: 'Ingest',
    summary: `Delete ${table.replace('_', ' ')}`,
    description: `Deletes rows of this event by id (unknown ids are ignored), in one transaction. Rows other rows still name (a guest with check-ins) are refused with 409: delete those first.`,
    auth: 'token',
    body: deleteBody,
    bodyExample: { ids: [String(ROW_EXAMPLES[table].id)] },
    errors: [400, 404, 409, 413],
    responses: { 200: json(deleteResponse, { table, received: 1, deleted: 1 }) },
  },
]);

export const PROVISIONING_OPERATIONS: OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/invitations/inspect',
    tag: 'Invitations',
    summary: 'What an invitation link offers',
    description: 'The token is the secret of the link (`/invitation#token=…`), sent in the body so it never lands in a log.',
    auth: 'public',
    body: inspectBody,
    bodyExample: { token: '0'.repeat(64) },
    errors: [400, 404, 410],
    responses: {
      200: json(invitationInfo, {
        email: 'olivia@acme.test',
        workspace_id: 'wsacme',
        workspace_name: 'Acme Events',
        role: 'organizer',
        operator: false,
        invited_by_name: 'Ada Admin',
        expires_at: T + 7 * 86_400_000,
        account_exists: false,
      }),
    },
  },
  {
    method: 'post',
    path: '/v1/invitations/accept',
    tag: 'Invitations',
    summary: 'Accept an invitation',
    description:
      'Once only, before it expires. A new account gives its name and a password (10+ characters) and is signed in (the session cookie is set); an existing account just gains the membership.',
    auth: 'public',
    body: acceptBody,
    bodyExample: { token: '0'.repeat(64), name: 'Olivia Organizer', password: 'a long passphrase' },
    errors: [400, 404, 409, 410],
    responses: {
      200: json(acceptResponse, {
        accepted: true,
        email: 'olivia@acme.test',
        workspace_id: 'wsacme',
        signed_in: true,
        memberships: [{ workspace_id: 'wsacme', workspace_name: 'Acme Events', role: 'organizer' }],
      }),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/workspaces/:workspaceId/api-tokens',
    tag: 'Workspace',
    summary: 'The workspace’s API tokens',
    description: 'Workspace admins only. Live tokens first; never the secrets.',
    auth: 'workspace',
    responses: { 200: json(apiTokenList, { data: [tokenExample], page: 1, limit: 1, total: 1, hasMore: false }) },
  },
  {
    method: 'post',
    path: '/v1/admin/workspaces/:workspaceId/api-tokens',
    tag: 'Workspace',
    summary: 'Make an API token',
    description: 'The answer carries the token once; only its hash is stored. Audited.',
    auth: 'workspace',
    body: createTokenBody,
    bodyExample: { name: 'Voyage platform sync', role: 'admin' },
    errors: [400],
    responses: {
      201: json(apiTokenCreated, { token: `vrt_${tokenExample.id}_${'0'.repeat(64)}`, api_token: tokenExample }, 'Made.'),
    },
  },
  {
    method: 'post',
    path: '/v1/admin/workspaces/:workspaceId/api-tokens/:tokenId/revoke',
    tag: 'Workspace',
    summary: 'Revoke an API token',
    description: 'At once: its next request is refused. Audited.',
    auth: 'workspace',
    responses: { 200: json(apiToken, { ...tokenExample, revoked_at: T + 120_000 }) },
  },
  {
    method: 'get',
    path: '/v1/admin/workspaces/:workspaceId/members',
    tag: 'Workspace',
    summary: 'Members and open invitations',
    auth: 'workspace',
    responses: {
      200: json(members, {
        data: [{ user_id: 'uadmin', email: 'admin@acme.test', name: 'Ada Admin', role: 'admin', created_at: T }],
        invitations: [
          {
            id: 'inv1',
            email: 'olivia@acme.test',
            role: 'organizer',
            make_operator: 0,
            created_at: T,
            expires_at: T + 7 * 86_400_000,
          },
        ],
      }),
    },
  },
  {
    method: 'post',
    path: '/v1/admin/workspaces/:workspaceId/invitations',
    tag: 'Workspace',
    summary: 'Invite someone by email',
    description: 'A one-time link valid 7 days, sent by email; an earlier open invitation of the same address ends.',
    auth: 'workspace',
    body: inviteBody,
    bodyExample: { email: 'olivia@acme.test', role: 'organizer' },
    errors: [400],
    responses: {
      201: json(
        invitationCreated,
        { id: 'inv1', email: 'olivia@acme.test', role: 'organizer', expires_at: T + 7 * 86_400_000 },
        'Queued.',
      ),
    },
  },
  {
    method: 'get',
    path: '/v1/api/token',
    tag: 'Ingest',
    summary: 'The calling token',
    description: 'Which workspace and role a token has: the first call to make with a new token.',
    auth: 'token',
    responses: {
      200: json(tokenInfo, {
        id: tokenExample.id,
        name: tokenExample.name,
        role: 'admin',
        workspace_id: 'wsacme',
        workspace_name: 'Acme Events',
      }),
    },
  },
  {
    method: 'put',
    path: '/v1/api/events',
    tag: 'Ingest',
    summary: 'Upsert events',
    description: `Events of the token's workspace, by id (lowercase letters and digits: it appears in URLs), up to ${MAX_BATCH_ROWS} per request. An id another workspace uses is refused (409). Push an event before its rows. Needs an admin token.`,
    auth: 'token',
    body: eventsUpsertBody,
    bodyExample: {
      data: [
        {
          id: 'evacmesummit',
          name: 'Acme Product Summit 2026',
          slug: 'acme-product-summit-2026',
          time_zone: 'America/New_York',
          starts_at: T,
          ends_at: T + 36_000_000,
        },
      ],
    },
    errors: [400, 409, 413],
    responses: { 200: json(upsertResponse, { table: 'events', received: 1, written: 1, unchanged: 0 }) },
  },
  {
    method: 'post',
    path: '/v1/api/events/delete',
    tag: 'Ingest',
    summary: 'Delete events',
    description: 'Only events with no rows left and no report history (409 otherwise).',
    auth: 'token',
    body: eventsDeleteBody,
    bodyExample: { ids: ['evacmesummit'] },
    errors: [400, 409, 413],
    responses: { 200: json(deleteResponse, { table: 'events', received: 1, deleted: 1 }) },
  },
  ...ingestOperations,
  {
    method: 'get',
    path: EVENT_JOBS,
    tag: 'Report jobs by token',
    summary: 'The event’s report jobs',
    description: 'The types the token’s role may see, newest first.',
    auth: 'token',
    query: jobListQuery,
    errors: [400, 404],
    responses: { 200: json(apiJobList, { data: [apiJobExample], page: 1, limit: 25, total: 1, hasMore: false }) },
  },
  {
    method: 'post',
    path: EVENT_JOBS,
    tag: 'Report jobs by token',
    summary: 'Ask for a report',
    description:
      'The same body and checks as the report center’s (each type’s parameters, the role’s permission, the daily quota, counted per token). Poll the job until `status` is completed, then download `download_url`.',
    auth: 'token',
    body: createBody,
    bodyExample: { type: 'guest-list', params: { format: 'csv' } },
    errors: [400, 404, 429, 503],
    responses: {
      201: json(
        apiJob,
        { ...queuedJobExample, requested_by: apiJobExample.requested_by, requested_by_name: apiJobExample.requested_by_name },
        'The job, queued.',
      ),
    },
  },
  {
    method: 'get',
    path: `${EVENT_JOBS}/:jobId`,
    tag: 'Report jobs by token',
    summary: 'One report job (poll it)',
    auth: 'token',
    errors: [404],
    responses: { 200: json(apiJob, apiJobExample) },
  },
  {
    method: 'get',
    path: `${EVENT_JOBS}/:jobId/download`,
    tag: 'Report jobs by token',
    summary: 'Download a report file',
    description: 'Permission is checked again at download. Counted and audited like a download from the report center.',
    auth: 'token',
    errors: [404, 409, 410],
    responses: { 200: { description: 'The file.', contentType: 'application/octet-stream' } },
  },
];

/** Row examples by table, for the tests. */
export { ROW_EXAMPLES };
