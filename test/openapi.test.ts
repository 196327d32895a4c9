import { env } from 'cloudflare:workers';
import { type Schema, Validator } from '@cfworker/json-schema';
import { inspectRoutes } from 'hono/dev';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { app } from '../src/worker/app';
import { overviewResponse } from '../src/worker/metrics/overview-schema';
import { openapiPath } from '../src/worker/openapi/document';
import * as S from '../src/worker/openapi/schemas';
import { createJob, EVENT_ID, insertQueuedJob, login, request, seedFixture } from './helpers';
import { lintExposition } from './metrics-lint';

type Json = Record<string, unknown>;
let doc: Json;

beforeAll(async () => {
  await seedFixture(20);
  const res = await request('/v1/openapi.json');
  expect(res.status).toBe(200);
  doc = await res.json<Json>();
});

const paths = () => doc.paths as Record<string, Record<string, Json>>;

/** The routes the app answers, from Hono's own table: handlers only, not middleware. */
function appRoutes(): { method: string; path: string }[] {
  const seen = new Set<string>();
  return inspectRoutes(app)
    .filter((r) => !r.isMiddleware)
    .map((r) => ({ method: r.method.toLowerCase(), path: openapiPath(r.path) }))
    .filter((r) => {
      const key = `${r.method} ${r.path}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

/** A media object's schema with the document's components, so `$ref`s resolve. */
function validatorFor(schema: Json): Validator {
  const components = (doc.components as { schemas: Json }).schemas;
  const rewrite = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll('#/components/schemas/', '#/$defs/')) as Json;
  return new Validator({ ...rewrite(schema), $defs: rewrite(components) } as Schema, '2020-12', false);
}

/** Every media object (request bodies and responses) of every operation, with where it is. */
function mediaObjects(): { where: string; type: string; media: Json }[] {
  const out: { where: string; type: string; media: Json }[] = [];
  for (const [path, item] of Object.entries(paths())) {
    for (const [method, op] of Object.entries(item)) {
      const body = (op.requestBody as { content?: Record<string, Json> } | undefined)?.content ?? {};
      for (const [type, media] of Object.entries(body)) out.push({ where: `${method} ${path} request`, type, media });
      for (const [status, response] of Object.entries(op.responses as Record<string, { content?: Record<string, Json> }>)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          out.push({ where: `${method} ${path} ${status}`, type, media });
        }
      }
    }
  }
  return out;
}

describe('GET /v1/openapi.json', () => {
  it('is an OpenAPI 3.1 document with JSON Schema 2020-12', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.jsonSchemaDialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(doc.info).toMatchObject({ title: 'Voyage Reports API', version: expect.any(String) });
  });

  it('documents every route of the Hono app, and nothing the app does not answer', () => {
    // The tests run as APP_ENV=test, where the development-only routes answer 404: not documented.
    const routes = appRoutes().filter((r) => !r.path.startsWith('/v1/dev/'));
    // A sanity floor: the table really was read (auth, jobs, downloads, ops, metrics, openapi, dev …).
    expect(routes.length).toBeGreaterThan(25);
    const undocumented = routes.filter((r) => !paths()[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(undocumented, 'routes registered without a route definition (openapi/route.ts)').toEqual([]);
    const answered = new Set(routes.map((r) => `${r.method} ${r.path}`));
    const stale = Object.entries(paths()).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => !answered.has(`${method} ${path}`))
        .map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(stale, 'documented operations the app does not have').toEqual([]);
  });

  it('leaves the development-only routes out outside development, and has every one of them in development', async () => {
    const devRoutes = appRoutes().filter((r) => r.path.startsWith('/v1/dev/'));
    expect(devRoutes.length).toBeGreaterThanOrEqual(5);
    expect(Object.keys(paths()).filter((p) => p.startsWith('/v1/dev'))).toEqual([]);
    expect(JSON.stringify(doc)).not.toContain('Development');
    for (const appEnv of ['production', 'staging', 'test']) {
      const other = (await (await app.request('/v1/openapi.json', {}, { ...env, APP_ENV: appEnv })).json()) as Json;
      expect(
        Object.keys(other.paths as Json).filter((p) => p.startsWith('/v1/dev')),
        appEnv,
      ).toEqual([]);
    }
    const developmentDoc = (await (await app.request('/v1/openapi.json', {}, { ...env, APP_ENV: 'development' })).json()) as Json;
    const development = developmentDoc.paths as Record<string, Record<string, Json>>;
    for (const r of devRoutes)
      expect(development[r.path]?.[r.method], `${r.method} ${r.path}`).toMatchObject({ 'x-development-only': true });
    const page = await (await app.request('/v1/docs', {}, { ...env, APP_ENV: 'production' })).text();
    expect(page).not.toContain('/v1/dev/');
  });

  it('every operation has a summary, a unique operationId, responses, and its path parameters', () => {
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(paths())) {
      for (const [method, op] of Object.entries(item)) {
        expect(op.summary, `${method} ${path}`).toEqual(expect.any(String));
        expect(ids.has(String(op.operationId)), `duplicate ${op.operationId}`).toBe(false);
        ids.add(String(op.operationId));
        expect(Object.keys(op.responses as Json).length).toBeGreaterThan(0);
        const declared = ((op.parameters as Json[] | undefined) ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(declared).toEqual([...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]));
      }
    }
  });

  it('every example validates against the JSON Schema the document publishes', () => {
    let checked = 0;
    for (const { where, type, media } of mediaObjects()) {
      if (media.example === undefined) continue;
      checked++;
      if (!media.schema) throw new Error(`${where}: an example without a schema`);
      const result = validatorFor(media.schema as Json).validate(media.example);
      expect(
        result.errors.map((e) => `${e.instanceLocation} ${e.error}`),
        `${where} (${type})`,
      ).toEqual([]);
      if (type.startsWith('text/plain; version=0.0.4')) expect(lintExposition(String(media.example)).errors).toEqual([]);
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('every example also parses with the zod schema it was generated from', () => {
    type Media = { schema?: unknown; example?: unknown };
    const isZod = (schema: unknown): schema is z.ZodType => typeof (schema as z.ZodType | undefined)?.safeParse === 'function';
    let checked = 0;
    for (const definition of app.openAPIRegistry.definitions) {
      if (definition.type !== 'route') continue;
      const { method, path, request, responses } = definition.route;
      const media: [string, Media][] = [
        ...Object.values((request?.body?.content ?? {}) as Record<string, Media>).map((m): [string, Media] => ['request', m]),
        ...Object.entries(responses).flatMap(([status, response]) =>
          Object.values(('content' in response ? response.content : undefined) ?? {}).map((m): [string, Media] => [
            status,
            m as Media,
          ]),
        ),
      ];
      for (const [where, { schema, example }] of media) {
        if (!isZod(schema) || example === undefined) continue;
        checked++;
        expect(schema.safeParse(example).error, `${method} ${path} ${where}`).toBeUndefined();
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('the request schemas are the very objects the routes validate with', async () => {
    // The document's body schema for POST …/jobs names each report type's parameter schema.
    const create = paths()['/v1/admin/events/{eventId}/reports/jobs']?.post as Json;
    const body = (create.requestBody as { content: Record<string, { schema: Json }> }).content['application/json']?.schema;
    expect((body?.properties as Json | undefined)?.params).toMatchObject({
      anyOf: expect.arrayContaining([{ $ref: '#/components/schemas/ReportParams_guest-list' }]),
    });
    expect(body?.additionalProperties).toBe(false); // z.strictObject, as the route has it
    // What the document says is invalid, the route refuses.
    const cookie = await login('organizer');
    const refused = await createJob(cookie, { type: 'guest-list', params: { format: 'csv' }, extra: 1 });
    expect(refused.status).toBe(400);
  });
});

describe('responses match their documented schemas', () => {
  const expectShape = async (schema: z.ZodType, res: Response, status = 200) => {
    expect(res.status).toBe(status);
    const parsed = schema.safeParse(await res.json());
    expect(parsed.error).toBeUndefined();
  };

  it('sessions, events, jobs, catalog, orders, ops', async () => {
    const organizer = await login('organizer');
    const admin = await login('admin');
    await expectShape(S.sessionResponse, await request('/v1/auth/session'));
    await expectShape(S.signedInResponse, await request('/v1/me', { cookie: organizer }));
    await expectShape(S.eventList, await request('/v1/admin/events', { cookie: organizer }));
    await expectShape(S.eventDetail, await request(`/v1/admin/events/${EVENT_ID}`, { cookie: organizer }));
    await expectShape(S.catalogResponse, await request(`/v1/admin/events/${EVENT_ID}/reports/catalog`, { cookie: organizer }));
    const created = await createJob(organizer, { type: 'guest-list', params: { format: 'csv' } });
    await expectShape(S.job, created.clone(), 201);
    await expectShape(S.jobList, await request(`/v1/admin/events/${EVENT_ID}/reports/jobs`, { cookie: organizer }));
    const queued = await insertQueuedJob();
    await expectShape(
      S.cancelResponse,
      await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${queued.id}/cancel`, { method: 'POST', cookie: organizer }),
    );
    await expectShape(
      S.errorEnvelope,
      await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/nope`, { cookie: organizer }),
      404,
    );
    await expectShape(S.orderList, await request(`/v1/admin/events/${EVENT_ID}/orders`, { cookie: organizer }));
    await expectShape(S.orderFilters, await request(`/v1/admin/events/${EVENT_ID}/orders/filters`, { cookie: organizer }));
    await expectShape(S.opsSettings, await request('/v1/admin/ops/settings', { cookie: admin }));
    await expectShape(overviewResponse, await request('/v1/admin/ops/overview?range=7d', { cookie: admin }));
  });
});

describe('GET /v1/docs', () => {
  it('renders every operation as a self-contained page: no scripts, nothing from elsewhere', async () => {
    const res = await request('/v1/docs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!json-schema\.org)/);
    for (const [path, item] of Object.entries(paths())) {
      for (const method of Object.keys(item)) expect(html).toContain(`${method.toUpperCase()}</span> <code>${path}</code>`);
    }
    expect(html).toContain('id="schema-Job"');
  });
});
