import { api } from '../../../api/client';
import type { Permission } from '../../auth/api';
import type { ReportFormat } from './types';

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

/** One entry of GET /v1/admin/events/:id/reports/catalog (already filtered by the caller's role). */
export interface ReportType {
  key: string;
  name: string;
  description: string;
  permission: Permission;
  formats: readonly ReportFormat[];
  columns: readonly string[];
  /** What the date range filters on, e.g. "Registration date". */
  date_field?: string;
  /** The JSON Schema of the job's `params` object. */
  params_schema: JsonSchema;
}

export interface ReportCatalog {
  data: ReportType[];
}

export function catalogPath(eventId: string): string {
  return `/v1/admin/events/${encodeURIComponent(eventId)}/reports/catalog`;
}

export function fetchReportCatalog(eventId: string, signal?: AbortSignal): Promise<ReportCatalog> {
  return api.get<ReportCatalog>(catalogPath(eventId), { signal });
}
