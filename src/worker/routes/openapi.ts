import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../hono';
import { openApiDocument } from '../openapi/document';
import { renderReference } from '../openapi/html';
import { defineRoute, file, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';

const pages = new Map<boolean, string>();

/**
 * GET /v1/openapi.json and GET /v1/docs: public, like any published API reference, collected from
 * `app` (the root, every route mounted) when first asked for. Outside development they leave out
 * the development-only routes, which answer 404 there.
 */
export function referenceRoutes(app: OpenAPIHono<AppEnv>): Routes {
  return new Routes()
    .handle(
      defineRoute({
        method: 'get',
        path: '/openapi.json',
        tags: ['Reference'],
        summary: 'This document',
        auth: 'public',
        responses: { 200: { description: 'OpenAPI 3.1.', content: { 'application/json': { schema: S.openapiDocument } } } },
      }),
      (c) => c.json(openApiDocument(app, { development: c.env.APP_ENV === 'development' })),
    )
    .handle(
      defineRoute({
        method: 'get',
        path: '/docs',
        tags: ['Reference'],
        summary: 'This document as a page',
        auth: 'public',
        responses: { 200: file('text/html', 'HTML, self-contained.') },
      }),
      (c) => {
        const development = c.env.APP_ENV === 'development';
        let page = pages.get(development);
        if (!page) {
          page = renderReference(openApiDocument(app, { development }));
          pages.set(development, page);
        }
        return c.html(page);
      },
    );
}
