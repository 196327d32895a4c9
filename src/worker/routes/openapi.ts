import { Hono } from 'hono';
import type { AppEnv } from '../hono';
import { openApiDocument } from '../openapi/document';
import { renderReference } from '../openapi/html';

let page: string | undefined;

/** GET /v1/openapi.json and GET /v1/docs: public, like any published API reference. */
export const openapiRoutes = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.json(openApiDocument()))
  .get('/docs', (c) => {
    page ??= renderReference(openApiDocument());
    return c.html(page);
  });
