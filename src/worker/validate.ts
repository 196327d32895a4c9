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

/**
 * Where a parsed JSON value has an own `__proto__` key (JSON.parse keeps it as a plain property),
 * or null. Zod copies records and objects by assignment, where `__proto__` sets the prototype
 * instead: the key would vanish silently rather than be refused like every other unknown key.
 */
export function prototypeKeyPath(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop() as [unknown, string];
    if (typeof node !== 'object' || node === null) continue;
    if (!Array.isArray(node) && Object.hasOwn(node, '__proto__')) return path;
    for (const [key, child] of Object.entries(node)) stack.push([child, path ? `${path}.${key}` : key]);
  }
  return null;
}

export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw badRequest('The request body must be JSON.', 'invalid_json');
  }
  const at = prototypeKeyPath(body);
  if (at !== null) throw badRequest(`${at ? `${at}: ` : ''}Unrecognized key: "__proto__"`, 'validation_failed');
  return parseWith(schema, body);
}

export function queryOf<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  return parseWith(schema, c.req.query());
}
