import type { ReportType } from './api/types';

/** The subset of JSON Schema the parameter form understands (what the server's zod schemas produce). */
export interface JsonSchema {
  type?: string | string[];
  enum?: readonly unknown[];
  const?: unknown;
  anyOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  format?: string;
  pattern?: string;
  default?: unknown;
  title?: string;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
}

/** The JSON Schema of a type's `params`: the API types it as any JSON object, the form reads this subset. */
export function paramsSchemaOf(type: ReportType): JsonSchema {
  return type.params_schema as JsonSchema;
}
