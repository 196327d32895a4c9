import type { Context } from 'hono';
import type { z } from 'zod';
import { badRequest } from './errors';

/** "params.date_to: date_to must be on or after date_from" — the field first, so a person can fix it. */
export function describeIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}

export function parseWith<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const message = issue ? describeIssue({ ...issue, path: prefix ? [prefix, ...issue.path] : issue.path }) : 'Invalid input';
    throw badRequest(message, 'validation_failed');
  }
  return result.data;
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('The request body must be JSON.', 'invalid_json');
  }
  return parseWith(schema, body);
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}
