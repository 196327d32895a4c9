// How a route file describes its routes: createRoute() from @hono/zod-openapi, plus who may call
// (`auth`) and what errors it answers besides the ones that implies. Each sub-app registers its
// routes with `handle`, which puts the definition in the app's OpenAPI registry and the handler in
// its router; the document is collected from the root app (openapi/document.ts).
//
// Why not `app.openapi(route, handler)`: it validates the request before the handler runs, with
// @hono/zod-validator. That would change what callers see: a body whose Content-Type is not JSON
// gets 415 instead of being read, malformed JSON throws Hono's own 400 (not `invalid_json`), and
// validation would come before the checks some routes make first (the job's owner before a resend's
// body, the webhook's signature before its body, the download link's signature before anything).
// So the handlers validate as before, with validate.ts and the very schemas named here.

import { createRoute, OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { Handler, MiddlewareHandler } from 'hono';
import type { z } from 'zod';
import type { AppEnv } from '../hono';
import { overviewResponse } from '../metrics/overview-schema';
import { reportTypesFor } from '../reports/catalog';
import { errorExamples } from './examples';
import * as S from './schemas';

/** Who may call: anyone, a session, a member with report access to the event, an operator, the metrics scraper, a workspace API token, … */
export type Auth = 'public' | 'session' | 'event' | 'workspace' | 'operator' | 'metrics' | 'signed-link' | 'webhook' | 'token';
export type ErrorStatus = keyof typeof errorExamples;

/** The security requirement of each kind of caller (the schemes are in document.ts). */
const SECURITY: Record<Auth, Record<string, string[]>[]> = {
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

/** What `x-auth` says on the reference page: the security scheme alone cannot tell a member from an operator. */
export const AUTH_DESCRIPTIONS: Record<Auth, string> = {
  public: 'none',
  session: 'any signed-in person',
  event: 'a member of the event’s workspace whose role may read reports',
  workspace: 'an admin of the workspace',
  operator: 'a platform operator',
  metrics: 'the metrics token, or a platform operator',
  'signed-link': 'a signed link, and a member still allowed to read the report',
  webhook: 'the email provider’s signature',
  token: 'a workspace API token',
};

/** The errors every route of a kind can answer, without saying so itself. */
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

/**
 * Response shapes shown once under components and referenced by the operations that answer them
 * (zod-to-openapi turns a schema with a ref id into a `$ref`). `.openapi()` returns a copy: the
 * originals in schemas.ts stay plain zod, importable without this library.
 */
export const components = {
  Error: S.errorEnvelope.openapi('Error'),
  Job: S.job.openapi('Job'),
  JobList: S.jobList.openapi('JobList'),
  OpsSettings: S.opsSettings.openapi('OpsSettings'),
  OpsOverview: overviewResponse.openapi('OpsOverview'),
};

/** A JSON response: its schema (from schemas.ts) and an example the tests check against it. */
export const json = (schema: z.ZodType, example: unknown, description = 'OK') => ({
  description,
  content: { 'application/json': { schema, example } },
});

/** A response that is not JSON (a file, a page, the metrics text): a string of that media type. */
export function file(contentType: string, description: string, example?: string) {
  const schema = contentType.startsWith('text/')
    ? { type: 'string' as const }
    : { type: 'string' as const, contentMediaType: contentType };
  return { description, content: { [contentType]: { schema, ...(example === undefined ? {} : { example }) } } };
}

/** A JSON request body: the schema the handler validates with (validate.ts jsonBody) and an example. */
export const jsonRequest = (schema: z.ZodType, example: unknown) => ({
  required: true,
  content: { 'application/json': { schema, example } },
});

/**
 * POST …/reports/jobs: `params` is whatever the chosen type takes (reports/catalog.ts validates it
 * after the envelope), so the document names each type's own schema, ReportParams_<type>.
 */
export function reportRequestSchema<T extends z.ZodObject<{ params: z.ZodType }>>(body: T): z.ZodType {
  const names = reportTypesFor('admin').map((t) => `ReportParams_${t.key}`);
  return body.extend({
    params: body.shape.params.openapi({
      description: 'The parameters of `type`: the ReportParams_<type> schema (the catalog serves the same schema per type).',
      anyOf: names.map((n) => ({ $ref: `#/components/schemas/${n}` })),
    }),
  });
}

export interface RouteSpec extends Omit<RouteConfig, 'security' | 'middleware' | 'hide'> {
  auth: Auth;
  /** Error statuses beyond the ones `auth` implies; each answered with the error envelope and its example. */
  errors?: ErrorStatus[];
  /** Mounted only when APP_ENV=development (answered 404 elsewhere): left out of other documents. */
  developmentOnly?: boolean;
  /** Run before the handler, as in @hono/zod-openapi: the checks of this route alone. */
  middleware?: MiddlewareHandler<AppEnv>[];
}

/** createRoute() with the route's auth expressed as `security` and `x-auth`, and its error responses. */
export function defineRoute({ auth, errors = [], developmentOnly = false, ...route }: RouteSpec) {
  const responses: RouteConfig['responses'] = { ...route.responses };
  for (const status of new Set([...AUTH_ERRORS[auth], ...errors])) {
    responses[status] ??= json(components.Error, errorExamples[status], ERROR_DESCRIPTIONS[status]);
  }
  const description = [route.description, developmentOnly ? 'Development only: answered 404 unless APP_ENV=development.' : '']
    .filter(Boolean)
    .join('\n\n');
  return createRoute({
    ...route,
    ...(description ? { description } : {}),
    security: SECURITY[auth],
    'x-auth': auth,
    ...(developmentOnly ? { 'x-development-only': true } : {}),
    responses,
  });
}

/** One sub-app per resource. */
export class Routes extends OpenAPIHono<AppEnv> {
  /**
   * `app.openapi(route, handler)` without its validators (see the top of this file): the definition
   * goes to the OpenAPI registry (which `route()` merges into the parent's), the route's middleware
   * and the handler to the router.
   */
  handle(route: ReturnType<typeof defineRoute>, handler: Handler<AppEnv>): this {
    const { middleware = [], ...config } = route;
    this.openAPIRegistry.registerPath(config);
    const handlers = [...middleware, handler] as [Handler<AppEnv>];
    this.on(route.method.toUpperCase(), route.getRoutingPath(), ...handlers);
    return this;
  }
}
