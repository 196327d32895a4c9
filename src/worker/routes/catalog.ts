// GET /v1/admin/events/:eventId/reports/catalog: the report types the caller may run, filtered on
// the server by their role, each with the JSON Schema of its parameters so the UI renders the form.
// Parameters that name the event's own data (ticket types, sponsors, campaigns) carry their choices
// as `oneOf: [{ const, title }]`, the JSON Schema way of a labelled list.

import { z } from 'zod';
import { requireEventAccess } from '../auth/session';
import type { EventRow } from '../db/events';
import { artifactLimit, settings } from '../env';
import { defineRoute, json, Routes } from '../openapi/route';
import * as S from '../openapi/schemas';
import { PDF_MAX_ROWS } from '../output/limits';
import { reportTypesFor } from '../reports/catalog';
import type { FieldOption, ReportType } from '../reports/types';

interface JsonSchemaObject {
  properties?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

const schemas = new Map<string, JsonSchemaObject>();

/** The input JSON Schema of a type's parameters (what a client sends), computed once per type. */
function paramsSchema(type: ReportType): JsonSchemaObject {
  let schema = schemas.get(type.key);
  if (!schema) {
    schema = z.toJSONSchema(type.params, { io: 'input', unrepresentable: 'any' }) as JsonSchemaObject;
    schemas.set(type.key, schema);
  }
  return schema;
}

function withOptions(schema: JsonSchemaObject, options: Record<string, FieldOption[]>): JsonSchemaObject {
  const properties = { ...schema.properties };
  for (const [key, choices] of Object.entries(options)) {
    const property = properties[key];
    if (!property || choices.length === 0) continue;
    properties[key] = { ...property, oneOf: choices.map((o) => ({ const: o.value, title: o.label })) };
  }
  return { ...schema, properties };
}

export async function catalogEntry(type: ReportType, db: D1Database, event: EventRow, maxBytes: number) {
  const options = type.fieldOptions ? await type.fieldOptions(db, event) : {};
  return {
    key: type.key,
    name: type.name,
    description: type.description,
    permission: type.permission,
    formats: type.formats,
    columns: type.columns.map((c) => c.header),
    date_field: type.dateField,
    /** Past this size a file fails (never truncated); POST …/reports/estimate compares a request with it. */
    max_artifact_bytes: maxBytes,
    pdf_max_rows: PDF_MAX_ROWS,
    params_schema: withOptions(paramsSchema(type), options),
  };
}

export const catalogRoutes = new Routes();
catalogRoutes.use(requireEventAccess('reports:read'));
catalogRoutes.handle(
  defineRoute({
    method: 'get',
    path: '/',
    tags: ['Reports'],
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
  }),
  async (c) => {
    const event = c.get('event');
    const types = reportTypesFor(c.get('membership').role);
    const limits = settings(c.env);
    return c.json({
      data: await Promise.all(types.map((t) => catalogEntry(t, c.env.DB, event, artifactLimit(limits, t.key)))),
    });
  },
);
