// The OpenAPI 3.1 document of the API, generated from zod schemas: request bodies and query strings
// from the very schema objects the routes validate with, responses from openapi/schemas.ts, each
// report type's parameters from its catalog entry. z.toJSONSchema emits JSON Schema 2020-12, the
// dialect of OpenAPI 3.1, so no conversion library is needed.

import { z } from 'zod';
import { createBody, listQuery as jobListQuery, resendBody } from '../jobs/requests';
import { overviewResponse } from '../metrics/overview';
import { reportTypesFor } from '../reports/catalog';
import { accessRequestBody } from '../routes/access-requests';
import { loginBody } from '../routes/auth';
import { clockBody, signedLinkBody } from '../routes/dev';
import { estimateBody } from '../routes/estimates';
import { overviewQuery } from '../routes/metrics';
import { settingsBody } from '../routes/ops';
import {
  downloadQuery as orderDownloadQuery,
  exportBody as orderExportBody,
  listQuery as orderListQuery,
} from '../routes/orders';
import { recipientsQuery } from '../routes/recipients';
import { emailEvent } from '../routes/webhooks';
import {
  errorExamples,
  eventExample,
  jobExample,
  membershipExample,
  metricsExample,
  overviewExample,
  queuedJobExample,
  userExample,
} from './examples';
import { PROVISIONING_OPERATIONS } from './provisioning';
import * as S from './schemas';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** Who may call: no one in particular, a session, an operator session, the metrics scraper, a workspace API token, … */
type Auth = 'public' | 'session' | 'event' | 'workspace' | 'operator' | 'metrics' | 'signed-link' | 'webhook' | 'token';
type ErrorStatus = keyof typeof errorExamples;

interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
  example?: unknown;
  headers?: Record<string, string>;
}

export interface OperationSpec {
  method: Method;
  /** Hono's path syntax (`:eventId`), exactly as the app registers it. */
  path: string;
  tag: string;
  summary: string;
  description?: string;
  auth: Auth;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyExample?: unknown;
  responses: Record<number, ResponseSpec>;
  /** Error statuses beyond the ones the auth kind implies. */
  errors?: ErrorStatus[];
  /** Mounted only when APP_ENV=development; answered 404 elsewhere. */
  developmentOnly?: boolean;
}

const EVENT_JOBS = '/v1/admin/events/:eventId/reports/jobs';
const json = (schema: z.ZodType, example: unknown, description = 'OK'): ResponseSpec => ({ description, schema, example });

const CORE_OPERATIONS: readonly OperationSpec[] = [
  {
    method: 'post',
    path: '/v1/auth/login',
    tag: 'Sessions',
    summary: 'Sign in',
    description:
      'Sets the `voyage_session` cookie (HttpOnly, SameSite=Lax) and a `voyage_device` cookie that marks this browser as known to the account. Every attempt is counted before the password is checked: 5 per account and client address per 15 minutes, 50 per account per hour across addresses (a known browser is throttled on its own instead), 50 per client address per 15 minutes; beyond that 429 with Retry-After.',
    auth: 'public',
    body: loginBody,
    bodyExample: { email: 'admin@acme.test', password: 'voyage-demo' },
    responses: { 200: json(S.signedInResponse, { user: userExample, memberships: [membershipExample] }) },
    errors: [400, 401, 429],
  },
  {
    method: 'get',
    path: '/v1/auth/session',
    tag: 'Sessions',
    summary: 'The current session, if any',
    description: 'Answers 200 whether or not someone is signed in (`user: null`), so a signed-out page load logs no error.',
    auth: 'public',
    responses: { 200: json(S.sessionResponse, { user: null, memberships: [] }) },
  },
  {
    method: 'post',
    path: '/v1/auth/logout',
    tag: 'Sessions',
    summary: 'Sign out',
    auth: 'public',
    responses: { 204: { description: 'Signed out; the cookie is cleared.' } },
  },
  {
    method: 'get',
    path: '/v1/me',
    tag: 'Sessions',
    summary: 'The signed-in user and their workspaces',
    auth: 'session',
    responses: { 200: json(S.signedInResponse, { user: userExample, memberships: [membershipExample] }) },
  },
  {
    method: 'get',
    path: '/v1/admin/events',
    tag: 'Events',
    summary: 'Events of every workspace the user belongs to',
    auth: 'session',
    responses: {
      200: json(S.eventList, {
        data: [{ ...eventExample, workspace_name: 'Acme Events' }],
        page: 1,
        limit: 1,
        total: 1,
        hasMore: false,
      }),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/events/:eventId',
    tag: 'Events',
    summary: 'One event, with the caller’s role in its workspace',
    auth: 'session',
    errors: [404],
    responses: {
      200: json(S.eventDetail, { ...eventExample, workspace_name: 'Acme Events', role: 'admin', can_read_reports: true }),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/events/:eventId/reports/catalog',
    tag: 'Reports',
    summary: 'Report types the caller may run',
    description: 'Filtered by the caller’s role on the server. Each entry carries the JSON Schema of its parameters.',
    auth: 'event',
    responses: {
      200: json(S.catalogResponse, {
        data: [
          {
            key: 'guest-list',
            name: 'Guest list summary',
            description: 'Everyone registered for the event.',
            permission: 'reports:read',
            formats: ['csv', 'pdf'],
            columns: ['Last name', 'First name', 'Email'],
            date_field: 'Registration date',
            max_artifact_bytes: 52_428_800,
            pdf_max_rows: 20_000,
            params_schema: { type: 'object', properties: { format: { type: 'string', enum: ['csv', 'pdf'] } } },
          },
        ],
      }),
    },
  },
  {
    method: 'post',
    path: '/v1/admin/events/:eventId/reports/estimate',
    tag: 'Reports',
    summary: 'What a report would come to',
    description:
      'Rows and file size of a report with these parameters, against its type’s ceilings, checked like a new job. A request past a ceiling can still be submitted; it would fail with the documented reason, never truncated.',
    auth: 'event',
    body: estimateBody,
    bodyExample: { type: 'orders', params: { format: 'csv' } },
    errors: [400],
    responses: {
      200: json(S.estimateResponse, {
        rows: 500_000,
        bytes: 55_912_000,
        max_bytes: 104_857_600,
        pdf_max_rows: 20_000,
        over_limit: false,
        warning: null,
      }),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/events/:eventId/reports/recipients',
    tag: 'Reports',
    summary: 'Members a report can be emailed to',
    description:
      'Members of the event’s workspace who may read reports of `type`, whose email or name contains `q`: the only addresses `notify_emails` accepts. The recipient field suggests them as one types.',
    auth: 'event',
    query: recipientsQuery,
    errors: [400],
    responses: {
      200: json(S.recipientList, { data: [{ email: 'organizer@acme.test', name: 'Olivia Organizer' }] }),
    },
  },
  {
    method: 'get',
    path: EVENT_JOBS,
    tag: 'Reports',
    summary: 'The event’s report jobs',
    description: 'Only the types the caller’s role may see. Includes the caller’s daily quota.',
    auth: 'event',
    query: jobListQuery,
    errors: [400],
    responses: {
      200: json(S.jobList, {
        data: [jobExample],
        page: 1,
        limit: 25,
        total: 1,
        hasMore: false,
        server_time: jobExample.finished_at + 60_000,
        quota: { limit: 100, used: 1, remaining: 99 },
        runner_paused: false,
        new_requests_disabled: false,
      }),
    },
  },
  {
    method: 'post',
    path: EVENT_JOBS,
    tag: 'Reports',
    summary: 'Ask for a report',
    description:
      'Validates `params` with the type’s own schema (see the catalog), stores the job with a snapshot of its parameters and the instant, and queues it. Answers at once; the file is made in the background. Every `notify_emails` address must belong to a member of the event’s workspace who may read the type (400 `recipient_not_member` naming the address otherwise; see …/reports/recipients). The daily quota is counted and taken in the same statement as the insert (429 `quota_exceeded`).',
    auth: 'event',
    body: createBody,
    bodyExample: {
      type: 'guest-list',
      params: { format: 'csv', date_from: '2026-01-01', date_to: '2026-01-31' },
      notify_emails: ['organizer@acme.test'],
    },
    errors: [400, 429, 503],
    responses: { 201: json(S.job, queuedJobExample, 'The job, queued.') },
  },
  {
    method: 'get',
    path: `${EVENT_JOBS}/:jobId`,
    tag: 'Reports',
    summary: 'One report job',
    auth: 'event',
    errors: [404],
    responses: { 200: json(S.job, jobExample) },
  },
  {
    method: 'post',
    path: `${EVENT_JOBS}/:jobId/cancel`,
    tag: 'Reports',
    summary: 'Cancel a report',
    description:
      'A queued job is cancelled at once (200); a running one stops at its next chunk (202, `requested`); one that is finalizing may complete anyway (202, `requested_may_complete`). Only the person who asked for the report and workspace admins may do this; other members get 403 `not_requester`.',
    auth: 'event',
    errors: [404, 409],
    responses: {
      200: json(S.cancelResponse, {
        outcome: 'cancelled',
        message: 'Report cancelled.',
        job: { ...queuedJobExample, status: 'cancelled' },
      }),
      202: json(
        S.cancelResponse,
        {
          outcome: 'requested',
          message: 'Cancellation requested. The report stops within seconds.',
          job: { ...queuedJobExample, status: 'running', cancel_requested_at: jobExample.created_at + 1000 },
        },
        'Cancellation requested from the runner.',
      ),
    },
  },
  {
    method: 'post',
    path: `${EVENT_JOBS}/:jobId/retry`,
    tag: 'Reports',
    summary: 'Retry a failed report',
    description:
      'Creates one new job with the same parameters; a second Retry returns the same retry job (200). Only the person who asked for the report and workspace admins may do this; other members get 403 `not_requester`.',
    auth: 'event',
    errors: [404, 409, 429, 503],
    responses: {
      200: json(S.job, { ...queuedJobExample, retry_of: '01kq3m2v8x0000000000000009' }, 'The retry made earlier.'),
      201: json(S.job, { ...queuedJobExample, retry_of: '01kq3m2v8x0000000000000009' }, 'The new retry job.'),
    },
  },
  {
    method: 'post',
    path: `${EVENT_JOBS}/:jobId/rerun`,
    tag: 'Reports',
    summary: 'Re-run a finished report',
    auth: 'event',
    errors: [404, 409, 429, 503],
    responses: { 201: json(S.job, { ...queuedJobExample, rerun_of: '01kq3m2v8x0000000000000009' }, 'The new job.') },
  },
  {
    method: 'post',
    path: `${EVENT_JOBS}/:jobId/resend-notification`,
    tag: 'Reports',
    summary: 'Send the “report ready” email again',
    description:
      'Only the person who asked for the report and workspace admins may do this; other members get 403 `not_requester`. Recipients must be members who may read the type (400 `recipient_not_member`). At most 5 resends per job per hour (429 `resend_limit` with Retry-After).',
    auth: 'event',
    body: resendBody,
    bodyExample: { notify_emails: ['organizer@acme.test'] },
    errors: [400, 404, 409, 429],
    responses: { 202: json(S.job, jobExample, 'Queued in the outbox.') },
  },
  {
    method: 'post',
    path: `${EVENT_JOBS}/:jobId/download-link`,
    tag: 'Reports',
    summary: 'Generate a new download link',
    description:
      'Re-signs the link while the file exists, else re-runs the report. Browsers (Accept: text/html, a form post from the expired-link page) get a 303 redirect instead of JSON.',
    auth: 'event',
    errors: [404, 409],
    responses: {
      200: json(S.downloadLinkResponse, {
        outcome: 'link',
        download_url: jobExample.download_url,
        download_url_expires_at: jobExample.download_url_expires_at,
      }),
      201: json(S.downloadLinkResponse, { outcome: 'rerun', job: queuedJobExample }, 'The file is gone: a new job.'),
      303: { description: 'For browsers: to the file, or to the report center highlighting the new job.' },
    },
  },
  {
    method: 'get',
    path: `${EVENT_JOBS}/:jobId/download`,
    tag: 'Reports',
    summary: 'Download a report file (signed link)',
    description:
      'The link must carry a valid `expires` and `signature`; the caller must be signed in and still allowed to read the report (checked again at download). Browsers get Voyage pages for every refusal and a sign-in redirect when signed out; API clients get the JSON error. Every decision is logged and counted (voyage_reports_download_decisions_total).',
    auth: 'signed-link',
    query: z.object({
      expires: z.string().regex(/^\d+$/).describe('Unix time (seconds) after which the link is refused.'),
      signature: z
        .string()
        .regex(/^[0-9a-f]{64}$/)
        .describe('HMAC-SHA256 of the path and expiry.'),
    }),
    errors: [401, 404, 410],
    responses: {
      200: { description: 'The file.', contentType: 'application/octet-stream' },
      302: { description: 'Signed out (browsers): to the sign-in page, coming back afterwards.' },
      403: json(
        S.errorEnvelope,
        { error: { code: 'permission_denied', message: "You don't have permission to access this report." } },
        'Bad signature, or no permission.',
      ),
      409: json(
        S.errorEnvelope,
        { error: { code: 'still_preparing', message: 'Your report is still being prepared — please check back in a moment.' } },
        'Not ready yet, or the job did not complete.',
      ),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/events/:eventId/orders',
    tag: 'Orders',
    summary: 'The orders table, filtered',
    auth: 'event',
    query: orderListQuery,
    errors: [400],
    responses: {
      200: json(S.orderList, {
        data: [{ id: 'ord1', order_number: 'A-1001', buyer_name: 'Lee Buyer', status: 'paid' }],
        page: 1,
        limit: 25,
        total: 1,
        hasMore: false,
        columns: [{ key: 'order_number', label: 'Order number' }],
      }),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/events/:eventId/orders/filters',
    tag: 'Orders',
    summary: 'Choices of the order filters',
    auth: 'event',
    responses: {
      200: json(S.orderFilters, {
        statuses: [{ value: 'paid', label: 'paid' }],
        ticket_types: [{ value: 'tt1', label: 'General admission' }],
        time_zone: 'America/New_York',
      }),
    },
  },
  {
    method: 'post',
    path: '/v1/admin/events/:eventId/orders/export',
    tag: 'Orders',
    summary: 'Export the filtered orders as CSV',
    description:
      'With the filters on screen. Above ORDERS_SYNC_EXPORT_MAX_ROWS the export becomes a background report job (202); otherwise the answer is a direct download link (200).',
    auth: 'event',
    body: orderExportBody,
    bodyExample: { status: 'paid', date_from: '2026-01-01', notify_emails: [] },
    errors: [400, 429, 503],
    responses: {
      200: json(S.orderExportResponse, {
        mode: 'sync',
        rows: 120,
        threshold: 10_000,
        download_url: '/v1/admin/events/evacmesummit/orders/export.csv?status=paid&snapshot_at=1767225600000',
      }),
      202: json(
        S.orderExportResponse,
        { mode: 'job', rows: 12_000, threshold: 10_000, job: queuedJobExample },
        'A background job.',
      ),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/events/:eventId/orders/export.csv',
    tag: 'Orders',
    summary: 'A small orders export, streamed at once',
    auth: 'event',
    query: orderDownloadQuery,
    errors: [400, 410, 413],
    responses: {
      200: {
        description: 'The CSV file.',
        contentType: 'text/csv',
        example: 'Order number,Placed at\r\nA-1001,2026-01-02 10:00\r\n',
      },
    },
  },
  {
    method: 'post',
    path: '/v1/admin/access-requests',
    tag: 'Reports',
    summary: 'Ask the workspace admins for access to a report',
    auth: 'session',
    body: accessRequestBody,
    bodyExample: { event_id: 'evacmesummit', report_type: 'orders' },
    description:
      'Once per person, report type and event while a request is open (7 days): asking again answers 200 and emails no one.',
    errors: [400, 404],
    responses: {
      200: json(
        S.okMessage,
        { ok: true, message: 'You already asked for access to the Audit log report; the workspace admins have your request.' },
        'Already asked: nothing recorded, no email.',
      ),
      201: json(
        S.okMessage,
        { ok: true, message: 'Your request was sent to 1 workspace admin.' },
        'Recorded; admins are emailed.',
      ),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/ops/settings',
    tag: 'Operations',
    summary: 'The operator switches',
    auth: 'operator',
    responses: {
      200: json(S.opsSettings, { runner_paused: false, new_requests_disabled: false, updated_by: null, updated_at: 0 }),
    },
  },
  {
    method: 'put',
    path: '/v1/admin/ops/settings',
    tag: 'Operations',
    summary: 'Pause the runner or refuse new requests',
    description:
      'The rollback levers (docs/runbook.md). Writes an audit entry. Resuming the runner re-queues every queued job. Omitted fields keep their value.',
    auth: 'operator',
    body: settingsBody,
    bodyExample: { runner_paused: true },
    errors: [400],
    responses: {
      200: json(S.opsSettings, {
        runner_paused: true,
        new_requests_disabled: false,
        updated_by: 'uadmin',
        updated_at: jobExample.created_at,
      }),
    },
  },
  {
    method: 'get',
    path: '/v1/admin/ops/overview',
    tag: 'Operations',
    summary: 'Dashboard figures over 24 hours or 7 days',
    description: 'Hourly or daily series, the current queue, recent failures and the switches, all derived from stored facts.',
    auth: 'operator',
    query: overviewQuery,
    errors: [400],
    responses: { 200: json(overviewResponse, overviewExample) },
  },
  {
    method: 'get',
    path: '/v1/admin/metrics',
    tag: 'Operations',
    summary: 'Prometheus metrics',
    description:
      'Text exposition format 0.0.4. `Authorization: Bearer <METRICS_TOKEN>` (the scraper) or an operator session. A request with a bearer token is judged by the token alone.',
    auth: 'metrics',
    errors: [401, 403],
    responses: { 200: { description: 'The metrics.', contentType: 'text/plain; version=0.0.4', example: metricsExample } },
  },
  {
    method: 'post',
    path: '/v1/webhooks/email-events',
    tag: 'Webhooks',
    summary: 'Email provider events (bounces, complaints)',
    description:
      'Signed: `x-voyage-timestamp: <unix seconds>` and `x-voyage-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` keyed by EMAIL_WEBHOOK_SECRET. A timestamp more than 5 minutes from now is refused (401 `stale_timestamp`); the same delivery again is answered with `duplicate: true` and not applied. A bounce is applied only when `recipient` is the message’s own.',
    auth: 'webhook',
    body: emailEvent,
    bodyExample: { message_id: 'msg-123', event: 'bounced', recipient: 'organizer@acme.test', reason: 'mailbox full' },
    errors: [400, 401, 413],
    responses: { 200: json(S.webhookResponse, { ok: true, applied: true }) },
  },
  {
    method: 'get',
    path: '/v1/openapi.json',
    tag: 'Reference',
    summary: 'This document',
    auth: 'public',
    responses: { 200: { description: 'OpenAPI 3.1.', schema: S.openapiDocument } },
  },
  {
    method: 'get',
    path: '/v1/docs',
    tag: 'Reference',
    summary: 'This document as a page',
    auth: 'public',
    responses: { 200: { description: 'HTML, self-contained.', contentType: 'text/html' } },
  },
  {
    method: 'post',
    path: '/v1/dev/cron',
    tag: 'Development',
    summary: 'Run the lifecycle now (the local cron tick)',
    auth: 'public',
    developmentOnly: true,
    responses: { 200: json(S.lifecycleResponse, { stuck_queue: { flagged: 0, failed: 0, retried: 0 }, sweeper: { swept: 0 } }) },
  },
  {
    method: 'get',
    path: '/v1/dev/clock',
    tag: 'Development',
    summary: 'The server’s (movable) clock',
    auth: 'public',
    developmentOnly: true,
    responses: { 200: json(S.clockResponse, { now: jobExample.created_at }) },
  },
  {
    method: 'put',
    path: '/v1/dev/clock',
    tag: 'Development',
    summary: 'Move the server’s clock ahead',
    auth: 'public',
    developmentOnly: true,
    body: clockBody,
    bodyExample: { offset_ms: 360_000 },
    errors: [400],
    responses: { 200: json(S.clockResponse, { now: jobExample.created_at + 360_000 }) },
  },
  {
    method: 'get',
    path: '/v1/dev/outbox',
    tag: 'Development',
    summary: 'What the email dispatcher did for a job',
    description: 'For the browser suite: report a bounce for a message that was really sent.',
    auth: 'public',
    developmentOnly: true,
    query: z.object({ job_id: z.string().describe('The job whose notifications to list.') }),
    responses: {
      200: json(S.devOutbox, {
        data: [{ id: 'ob1', recipient: 'organizer@acme.test', status: 'sent', message_id: 'msg-123' }],
        email_link_origin: 'http://localhost:8787',
      }),
    },
  },
  {
    method: 'post',
    path: '/v1/dev/signed-link',
    tag: 'Development',
    summary: 'A correctly signed download link with any expiry',
    auth: 'public',
    developmentOnly: true,
    body: signedLinkBody,
    bodyExample: { event_id: 'evacmesummit', job_id: jobExample.job_id, expires: 1_767_225_600 },
    errors: [400],
    responses: { 200: json(S.signedLinkResponse, { url: jobExample.download_url }) },
  },
];

/** Every operation: the report center's, then provisioning's (invitations, workspace admin, the token API). */
export const OPERATIONS: readonly OperationSpec[] = [...CORE_OPERATIONS, ...PROVISIONING_OPERATIONS];

export type JsonSchema = Record<string, unknown>;

/** JSON Schema 2020-12 of a zod schema, without its `$schema` (the document declares the dialect). */
export function jsonSchemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

/** `/v1/admin/events/:eventId` → `/v1/admin/events/{eventId}` (a `:name{regex}` loses its regex). */
export function openapiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid input; the message names the field.',
  401: 'Not signed in (or a wrong token).',
  403: 'Signed in, but not allowed.',
  404: 'Not found, or not visible to the caller.',
  409: 'Not possible in the job’s current state.',
  410: 'Gone: the link expired or the file was swept.',
  413: 'Too large.',
  429: 'Too many: the daily quota, or sign-in throttling.',
  503: 'Temporarily refused: an operator switch, or the queue is unavailable.',
};

const AUTH_ERRORS: Record<Auth, ErrorStatus[]> = {
  public: [],
  session: [401],
  event: [401, 403, 404],
  workspace: [401, 403, 404],
  operator: [401, 403],
  metrics: [401, 403],
  'signed-link': [],
  webhook: [401],
  token: [401, 403],
};

const SECURITY: Record<Auth, Record<string, string[]>[] | undefined> = {
  public: [],
  session: [{ sessionCookie: [] }],
  event: [{ sessionCookie: [] }],
  workspace: [{ sessionCookie: [] }],
  operator: [{ sessionCookie: [] }],
  metrics: [{ metricsToken: [] }, { sessionCookie: [] }],
  'signed-link': [{ sessionCookie: [] }],
  webhook: [{ webhookSignature: [] }],
  token: [{ apiToken: [] }],
};

/** Named schemas, shown once under components and referenced by operations. */
const COMPONENTS: [string, z.ZodType][] = [
  ['Error', S.errorEnvelope],
  ['Job', S.job],
  ['JobList', S.jobList],
  ['OpsSettings', S.opsSettings],
  ['OpsOverview', overviewResponse],
];
const componentName = new Map(COMPONENTS.map(([name, schema]) => [schema, name]));

function schemaRef(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const name = componentName.get(schema);
  return name && io === 'output' ? { $ref: `#/components/schemas/${name}` } : jsonSchemaOf(schema, io);
}

/** The body of POST …/reports/jobs names its type's parameters: one schema per catalog type. */
function reportParamsSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(reportTypesFor('admin').map((t) => [`ReportParams_${t.key}`, jsonSchemaOf(t.params, 'input')]));
}

function requestBodySchema(op: OperationSpec, paramsNames: string[]): JsonSchema {
  const schema = jsonSchemaOf(op.body as z.ZodType, 'input');
  if (op.body !== createBody) return schema;
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  return {
    ...schema,
    properties: {
      ...properties,
      params: {
        description: 'The parameters of `type`: the ReportParams_<type> schema (the catalog serves the same schema per type).',
        anyOf: paramsNames.map((n) => ({ $ref: `#/components/schemas/${n}` })),
      },
    },
  };
}

function parametersOf(op: OperationSpec): JsonSchema[] {
  const path = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z0-9]{1,64}$' },
  }));
  if (!op.query) return path;
  const schema = jsonSchemaOf(op.query, 'input');
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const query = Object.entries(properties).map(([name, property]) => ({
    name,
    in: 'query',
    required: required.has(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
  return [...path, ...query];
}

function responseObject(spec: ResponseSpec): JsonSchema {
  const contentType = spec.contentType ?? 'application/json';
  if (!spec.schema && spec.example === undefined && !spec.contentType) return { description: spec.description };
  const media: JsonSchema = {};
  if (spec.schema) media.schema = schemaRef(spec.schema, 'output');
  else if (contentType.startsWith('text/')) media.schema = { type: 'string' };
  else media.schema = { type: 'string', contentMediaType: contentType };
  if (spec.example !== undefined) media.example = spec.example;
  return { description: spec.description, content: { [contentType]: media } };
}

function operationObject(op: OperationSpec, paramsNames: string[]): JsonSchema {
  const responses: Record<string, JsonSchema> = {};
  for (const [status, spec] of Object.entries(op.responses)) responses[status] = responseObject(spec);
  for (const status of new Set([...AUTH_ERRORS[op.auth], ...(op.errors ?? [])])) {
    if (responses[status]) continue;
    responses[status] = {
      description: ERROR_DESCRIPTIONS[status],
      content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example: errorExamples[status] } },
    };
  }
  const operation: JsonSchema = {
    operationId: `${op.method}${openapiPath(op.path)
      .replace(/[{}]/g, '')
      .split(/[/.-]/)
      .filter(Boolean)
      .map((w) => w[0]?.toUpperCase() + w.slice(1))
      .join('')}`,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description || op.developmentOnly
      ? {
          description: [op.description, op.developmentOnly ? 'Development only: answered 404 unless APP_ENV=development.' : '']
            .filter(Boolean)
            .join('\n\n'),
        }
      : {}),
    security: SECURITY[op.auth],
    responses,
  };
  const parameters = parametersOf(op);
  if (parameters.length > 0) operation.parameters = parameters;
  if (op.body) {
    operation.requestBody = {
      required: true,
      content: { 'application/json': { schema: requestBodySchema(op, paramsNames), example: op.bodyExample } },
    };
  }
  if (op.developmentOnly) operation['x-development-only'] = true;
  return operation;
}

/**
 * The document as a deployment of the app answers it: the development-only routes (mounted only
 * when APP_ENV=development) appear only in a development build's document.
 */
export function buildOpenApiDocument(options: { development: boolean }): JsonSchema {
  const paramsSchemas = reportParamsSchemas();
  const paramsNames = Object.keys(paramsSchemas);
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const op of OPERATIONS) {
    if (op.developmentOnly && !options.development) continue;
    const path = openapiPath(op.path);
    paths[path] ??= {};
    paths[path][op.method] = operationObject(op, paramsNames);
  }
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Voyage Reports API',
      version: '1.0.0',
      description:
        'The report center of the Voyage events platform: report jobs, signed downloads, the orders export, the operations endpoints, invitations, and the token API through which the platform pushes its data and asks for reports. Errors are `{ error: { code, message } }`; list responses use `{ data, page, limit, total, hasMore }`; timestamps are epoch milliseconds (UTC).',
    },
    tags: [
      { name: 'Sessions' },
      { name: 'Events' },
      { name: 'Reports' },
      { name: 'Orders' },
      { name: 'Invitations', description: 'Accepting an invitation link: how every person gets an account.' },
      { name: 'Workspace', description: 'Workspace admins: API tokens and members.' },
      {
        name: 'Ingest',
        description:
          'The events platform pushes its data with a workspace API token (`Authorization: Bearer vrt_…`, admin role): events, then each table of an event, in batches, idempotent by its own ids.',
      },
      {
        name: 'Report jobs by token',
        description: 'Create, list, poll and download report jobs with a workspace API token, checked like a member of its role.',
      },
      { name: 'Operations', description: 'Platform operators: switches, dashboard figures, Prometheus metrics.' },
      { name: 'Webhooks' },
      { name: 'Reference' },
      ...(options.development ? [{ name: 'Development', description: 'Answered only when APP_ENV=development.' }] : []),
    ],
    paths,
    components: {
      schemas: {
        ...Object.fromEntries(COMPONENTS.map(([name, schema]) => [name, jsonSchemaOf(schema, 'output')])),
        ...paramsSchemas,
      },
      securitySchemes: {
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'voyage_session', description: 'Set by POST /v1/auth/login.' },
        metricsToken: { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN secret.' },
        apiToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A workspace API token, `vrt_<id>_<secret>`, made by a workspace admin (Settings › API tokens) or `npm run admin -- token create`.',
        },
        webhookSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'x-voyage-signature',
          description: 'sha256=<hex HMAC of "<x-voyage-timestamp>.<body>">.',
        },
      },
    },
  };
}

const cached = new Map<boolean, JsonSchema>();

/** Built once per isolate (and kind of build): the schemas do not change while it lives. */
export function openApiDocument(options: { development: boolean }): JsonSchema {
  let document = cached.get(options.development);
  if (!document) {
    document = buildOpenApiDocument(options);
    cached.set(options.development, document);
  }
  return document;
}
