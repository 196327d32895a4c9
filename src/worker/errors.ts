import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * An error whose message is safe to show a person. Anything else that escapes a handler is
 * logged with its stack and answered with a generic 500.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Not found') => new ApiError(404, 'not_found', what);
export const forbidden = (message: string) => new ApiError(403, 'forbidden', message);
export const badRequest = (message: string, code = 'invalid_request') => new ApiError(400, code, message);
