import { Hono } from 'hono';
import type { AppEnv } from '../hono';
import { openApiDocument } from '../openapi/document';
import { renderReference } from '../openapi/html';

const pages = new Map<boolean, string>();

/**
 * GET /v1/openapi.json and GET /v1/docs: public, like any published API reference. Outside
 * development they leave out the development-only routes, which answer 404 there.
 */
export const openapiRoutes = new Hono<AppEnv>()
  .get('/openapi.json', (c) => c.json(openApiDocument({ development: c.env.APP_ENV === 'development' })))
  .get('/docs', (c) => {
    const development = c.env.APP_ENV === 'development';
    let page = pages.get(development);
    if (!page) {
      page = renderReference(openApiDocument({ development }));
      pages.set(development, page);
    }
    return c.html(page);
  });
