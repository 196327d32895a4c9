// Response shapes of the API, as zod schemas. Requests are documented from the very schemas the
// routes validate with (named in each route's definition); responses are built by handlers, so they
// are described here, and test/openapi.test.ts parses real responses with these to keep them honest.
// Plain zod, no OpenAPI extension: openapi/route.ts makes the named components from them.
// The SPA's response types are inferred from these (src/web/api/types.ts), so this file imports
// nothing but pure modules (no bindings, no I/O): tsconfig.web.json type-checks it for the browser.

import { z } from 'zod';
import { ROLES, TOKEN_ROLES } from '../auth/roles';
import { JOB_PHASES, JOB_STATUSES } from '../jobs/state';

const id = z.string().regex(/^[a-z0-9]+$/);
const format = z.enum(['csv', 'pdf']);
const epochMs = z.number().int().describe('Epoch milliseconds (UTC).');

export const errorEnvelope = z.object({
  error: z.object({
    code: z.string().describe('A stable machine code, e.g. validation_failed, forbidden, not_found.'),
    message: z.string().describe('Safe to show a person.'),
  }),
});

export const authUser = z.object({ id, email: z.string(), name: z.string(), is_operator: z.boolean() });

export const membership = z.object({
  workspace_id: id,
  workspace_name: z.string(),
  role: z.enum(ROLES),
});

export const sessionResponse = z.object({ user: authUser.nullable(), memberships: z.array(membership) });
export const signedInResponse = z.object({ user: authUser, memberships: z.array(membership) });

const event = z.object({
  id,
  workspace_id: id,
  name: z.string(),
  slug: z.string(),
  time_zone: z.string(),
  starts_at: epochMs,
  ends_at: epochMs,
  created_at: epochMs,
});

export const eventList = z.object({
  data: z.array(event.extend({ workspace_name: z.string() })),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  hasMore: z.boolean(),
});

export const eventDetail = event.extend({
  workspace_name: z.string(),
  role: membership.shape.role,
  can_read_reports: z.boolean(),
  can_export_orders: z.boolean(),
});

export const artifact = z.object({
  file_name: z.string(),
  size_bytes: z.number().int().nullable(),
  content_type: z.string().nullable(),
  row_count: z.number().int().nullable(),
  download_count: z.number().int().nullable(),
  last_downloaded_at: epochMs.nullable(),
  expires_at: epochMs.nullable(),
  swept_at: epochMs.nullable(),
});

export const job = z.object({
  job_id: id,
  event_id: id,
  workspace_id: id,
  type: z.string(),
  type_name: z.string(),
  format,
  params: z
    .looseObject({ format, date_from: z.string().optional(), date_to: z.string().optional() })
    .describe('The validated parameters, as stored when the job was asked for: the common ones and the type’s own.'),
  status: z.enum(JOB_STATUSES),
  requested_by: id,
  requested_by_name: z.string().nullable(),
  notify_emails: z.array(z.string()),
  snapshot_at: epochMs.describe('Rows created after this instant are not in the file.'),
  phase: z.enum(JOB_PHASES).nullable(),
  rows_done: z.number().int(),
  rows_expected: z.number().int().nullable(),
  bytes_written: z.number().int(),
  attempts: z.number().int(),
  cancel_requested_at: epochMs.nullable(),
  failure_code: z.string().nullable(),
  failure_reason: z.string().nullable(),
  retry_of: id.nullable(),
  rerun_of: id.nullable(),
  created_at: epochMs,
  updated_at: epochMs,
  started_at: epochMs.nullable(),
  finished_at: epochMs.nullable(),
  stuck: z.boolean().describe('Taking longer than usual.'),
  failure_remedy: z
    .enum(['retry', 'narrow_range', 'use_csv', 'adjust_parameters', 'none'])
    .nullable()
    .describe('What helps after a failure: Retry only when it is `retry`; null unless failed.'),
  retried_by: id.nullable().describe('The retry already made of this failed job (by a person or the stuck detector).'),
  notification_status: z.enum(['queued', 'sent', 'failed', 'bounced']).nullable(),
  notification_bounced: z.boolean(),
  bounced_recipients: z.array(z.string()),
  notifications: z
    .array(z.object({ recipient: z.string(), status: z.enum(['queued', 'sent', 'failed', 'bounced']), at: epochMs }))
    .describe('Each recipient once, with their latest “report ready” email.'),
  artifact: artifact.nullable(),
  download_url: z.string().nullable().describe('A signed, expiring link; null unless the file can be downloaded.'),
  download_url_expires_at: epochMs.nullable(),
});

export const quota = z.object({ limit: z.number().int(), used: z.number().int(), remaining: z.number().int() });

export const jobList = z.object({
  data: z.array(job),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  hasMore: z.boolean(),
  server_time: epochMs,
  quota,
  runner_paused: z.boolean().describe('An operator paused the runner: queued reports wait until it is resumed.'),
  new_requests_disabled: z.boolean().describe('An operator refuses new reports for a moment.'),
});

export const cancelResponse = z.object({
  outcome: z.enum(['cancelled', 'requested', 'requested_may_complete']),
  message: z.string(),
  job,
});

export const downloadLinkResponse = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('link'), download_url: z.string(), download_url_expires_at: epochMs }),
  z.object({ outcome: z.literal('rerun'), job }),
]);

export const opsSettings = z.object({
  runner_paused: z.boolean(),
  new_requests_disabled: z.boolean(),
  updated_by: id.nullable(),
  updated_at: epochMs,
});

export const catalogResponse = z.object({
  data: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      description: z.string(),
      permission: z.enum(['reports:read', 'reports:admin', 'orders:export']),
      formats: z.array(format),
      columns: z.array(z.string()),
      date_field: z.string(),
      max_artifact_bytes: z.number().int().describe('Past this size the type’s file fails, never truncated.'),
      pdf_max_rows: z.number().int().describe('Past this many rows a PDF fails; CSV has no row ceiling.'),
      params_schema: z.record(z.string(), z.unknown()).describe('JSON Schema (2020-12) of the type’s parameters.'),
    }),
  ),
});

export const estimateResponse = z.object({
  rows: z.number().int(),
  bytes: z.number().int().nullable().describe('The CSV file’s size from the first rows’ average line; null for a PDF.'),
  max_bytes: z.number().int(),
  pdf_max_rows: z.number().int(),
  over_limit: z.boolean().describe('The job would fail on a ceiling; it may still be submitted.'),
  warning: z.string().nullable(),
});

export const recipientList = z.object({
  data: z.array(z.object({ email: z.string(), name: z.string() })),
});

const choice = z.object({ value: z.string(), label: z.string() });

export const orderList = z.object({
  data: z.array(
    z
      .object({ id })
      .catchall(z.union([z.string(), z.number(), z.null()]))
      .describe('One order: `id` plus one field per column key.'),
  ),
  page: z.number().int(),
  limit: z.number().int(),
  total: z.number().int(),
  hasMore: z.boolean(),
  columns: z.array(z.object({ key: z.string(), label: z.string() })),
});

export const orderFilters = z.object({ statuses: z.array(choice), ticket_types: z.array(choice), time_zone: z.string() });

export const orderExportResponse = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('job'), rows: z.number().int(), threshold: z.number().int(), job }),
  z.object({ mode: z.literal('sync'), rows: z.number().int(), threshold: z.number().int(), download_url: z.string() }),
]);

export const okMessage = z.object({ ok: z.literal(true), message: z.string() });
export const webhookResponse = z.object({
  ok: z.literal(true),
  applied: z.boolean(),
  duplicate: z.boolean().optional().describe('The same signed delivery arrived before: answered, not applied again.'),
});
export const clockResponse = z.object({ now: epochMs });
export const signedLinkResponse = z.object({ url: z.string() });
export const devOutbox = z.object({
  data: z.array(
    z.object({
      id: z.string(),
      recipient: z.string(),
      status: z.enum(['queued', 'sent', 'bounced', 'failed']),
      message_id: z.string().nullable(),
    }),
  ),
  email_link_origin: z.string().describe('The origin the dispatcher puts in email links: the running app’s.'),
});
export const lifecycleResponse = z.record(z.string(), z.unknown()).describe('What each cron step did.');
export const openapiDocument = z
  .object({ openapi: z.string(), info: z.record(z.string(), z.unknown()), paths: z.record(z.string(), z.unknown()) })
  .loose();

// Provisioning: API tokens, members and invitations, the token API's ingest and report jobs.

const role = membership.shape.role;

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
  memberships: z.array(membership).optional(),
});
export const upsertResponse = z.object({
  table: z.string(),
  received: z.number().int(),
  written: z.number().int().describe('Rows inserted or changed.'),
  unchanged: z.number().int().describe('Rows identical to what is stored: nothing written, no version kept.'),
});
export const deleteResponse = z.object({ table: z.string(), received: z.number().int(), deleted: z.number().int() });
export const apiJob = job.extend({
  download_url: z
    .string()
    .nullable()
    .describe('GET it with the same token once `status` is completed (no signature: the token is the credential).'),
});
export const apiJobList = listOf(apiJob);
