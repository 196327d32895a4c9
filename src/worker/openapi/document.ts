// The OpenAPI 3.1 document, collected from the app: every route file defines its routes with
// createRoute() (openapi/route.ts), each sub-app's registry is merged into its parent's when it is
// mounted, and @hono/zod-openapi generates the paths and schemas from the root's registry. This
// file holds only what belongs to the document as a whole: info, tags, security schemes, the report
// types' parameter schemas, and the few things derived from each path.

import type { OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppEnv } from '../hono';
import { reportTypesFor } from '../reports/catalog';

export type JsonSchema = Record<string, unknown>;
type Operation = JsonSchema & { parameters?: JsonSchema[]; 'x-development-only'?: boolean };

const INFO = {
  title: 'Voyage Reports API',
  version: '1.0.0',
  description:
    'The report center of the Voyage events platform: report jobs, signed downloads, the orders export, the operations endpoints, invitations, and the token API through which the platform pushes its data and asks for reports. Errors are `{ error: { code, message } }`; list responses use `{ data, page, limit, total, hasMore }`; timestamps are epoch milliseconds (UTC).',
};

const TAGS = [
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
];
const DEVELOPMENT_TAG = { name: 'Development', description: 'Answered only when APP_ENV=development.' };

const SECURITY_SCHEMES = {
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
};

/** `/v1/admin/events/:eventId` → `/v1/admin/events/{eventId}` (a `:name{regex}` loses its regex). */
export function openapiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

/** `post /v1/admin/events/{eventId}/reports/jobs` → `postV1AdminEventsEventIdReportsJobs`. */
function operationId(method: string, path: string): string {
  const words = path.replace(/[{}]/g, '').split(/[/.-]/).filter(Boolean);
  return `${method}${words.map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')}`;
}

/** The ids in a path are the API's own (`[a-z0-9]`); handlers answer 404 for any other. */
function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: '^[a-z0-9]{1,64}$' },
  }));
}

/** Each report type's parameters, as the catalog serves them: the body of POST …/reports/jobs refers to these. */
function reportParamsSchemas(): Record<string, JsonSchema> {
  return Object.fromEntries(
    reportTypesFor('admin').map((t) => {
      const { $schema: _dialect, ...schema } = z.toJSONSchema(t.params, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
      return [`ReportParams_${t.key}`, schema];
    }),
  );
}

/**
 * The document as a deployment of the app answers it: the development-only routes (mounted only
 * when APP_ENV=development) appear only in a development build's document.
 */
export function buildOpenApiDocument(app: OpenAPIHono<AppEnv>, options: { development: boolean }): JsonSchema {
  const generated = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: INFO,
    tags: options.development ? [...TAGS, DEVELOPMENT_TAG] : TAGS,
  });
  const paths: Record<string, Record<string, Operation>> = {};
  for (const [path, item] of Object.entries(generated.paths ?? {})) {
    for (const [method, value] of Object.entries(item as Record<string, Operation>)) {
      if (value['x-development-only'] && !options.development) continue;
      const { parameters = [], ...operation } = value;
      const all = [...pathParameters(path), ...parameters];
      paths[path] ??= {};
      paths[path][method] = {
        operationId: operationId(method, path),
        ...operation,
        ...(all.length > 0 ? { parameters: all } : {}),
      };
    }
  }
  const { webhooks: _none, ...rest } = generated;
  return {
    ...rest,
    // OpenAPI 3.1's own default, said out loud (the library's config type is the 3.0 one, without it).
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      ...generated.components,
      schemas: { ...generated.components?.schemas, ...reportParamsSchemas() },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

const cached = new Map<boolean, JsonSchema>();

/** Built once per isolate (and kind of build): the routes and schemas do not change while it lives. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, options: { development: boolean }): JsonSchema {
  let document = cached.get(options.development);
  if (!document) {
    document = buildOpenApiDocument(app, options);
    cached.set(options.development, document);
  }
  return document;
}
