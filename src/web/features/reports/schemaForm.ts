/**
 * The parameter form of a report type, generated from the JSON Schema of its `params` object.
 * `format`, `date_from`/`date_to` and the CSV switches (`include_bom`, `spreadsheet_times`) are
 * common to every type and get their own controls; every other property becomes a filter field.
 * Pure functions, no React.
 */
import type { JobParams, ReportFormat, ReportType } from './api/types';
import { isIsoDate } from './dates';
import { type JsonSchema, paramsSchemaOf } from './jsonSchema';

interface FieldBase {
  key: string;
  label: string;
  description: string | null;
  required: boolean;
}

export interface FieldOption {
  value: string;
  label: string;
}

export type Field =
  | (FieldBase & { kind: 'select'; options: FieldOption[] })
  | (FieldBase & { kind: 'checkboxes'; options: FieldOption[]; minItems: number | null; maxItems: number | null })
  | (FieldBase & { kind: 'text'; minLength: number | null; maxLength: number | null; pattern: string | null })
  | (FieldBase & { kind: 'checkbox'; hasDefault: boolean })
  | (FieldBase & { kind: 'number'; integer: boolean; min: number | null; max: number | null })
  | (FieldBase & { kind: 'date' });

export type FieldValue = string | boolean | string[];
export type FormValues = Record<string, FieldValue>;

export interface FormModel {
  formats: ReportFormat[];
  dateFrom: boolean;
  dateTo: boolean;
  /** The CSV switches the type has (byte-order mark, spreadsheet-ready times), with defaults and help. */
  csvSwitches: CsvSwitch[];
  filters: Field[];
}

export interface CsvSwitch {
  key: CsvSwitchKey;
  label: string;
  default: boolean;
  description: string | null;
}

/** How a CSV is written: shown under Format while CSV is chosen, sent only for CSV. */
const CSV_SWITCHES = {
  include_bom: 'Add byte-order mark for Excel',
  spreadsheet_times: 'Spreadsheet-ready times',
} as const;
export type CsvSwitchKey = keyof typeof CSV_SWITCHES;

const COMMON_KEYS = new Set(['format', 'date_from', 'date_to', ...Object.keys(CSV_SWITCHES)]);
const DATE_PATTERN = '^\\d{4}-\\d{2}-\\d{2}$';
const ACRONYMS: Record<string, string> = {
  rsvp: 'RSVP',
  id: 'ID',
  ids: 'IDs',
  csv: 'CSV',
  pdf: 'PDF',
  url: 'URL',
  utm: 'UTM',
  vip: 'VIP',
};

/** "rsvp_status" → "RSVP status", "checked-in" → "Checked in". */
export function humanize(key: string): string {
  const words = key
    .split(/[_.\-\s]+/)
    .filter(Boolean)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const first = words[0];
  if (first === undefined) return key;
  words[0] = first.charAt(0).toUpperCase() + first.slice(1);
  return words.join(' ');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function typesOf(schema: JsonSchema): string[] {
  if (Array.isArray(schema.type)) return schema.type;
  return typeof schema.type === 'string' ? [schema.type] : [];
}

/** `anyOf: [X, {type: 'null'}]` (a nullable X) → X; anything else unchanged. */
function unwrapNullable(schema: JsonSchema): JsonSchema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches?.some((b) => typesOf(b).length === 1 && typesOf(b)[0] === 'null')) return schema;
  const nonNull = branches.filter((b) => !(typesOf(b).length === 1 && typesOf(b)[0] === 'null'));
  const only = nonNull[0];
  if (nonNull.length === 1 && only) {
    return {
      ...only,
      title: schema.title ?? only.title,
      description: schema.description ?? only.description,
      default: schema.default ?? only.default,
    };
  }
  return schema;
}

/** The choices of a schema: `oneOf`/`anyOf` of `{ const, title }` (labelled), else `enum`; null when free. */
function stringOptions(schema: JsonSchema): FieldOption[] | null {
  const branches = schema.oneOf ?? schema.anyOf;
  if (branches && branches.length > 0 && branches.every((b) => typeof b.const === 'string')) {
    return branches.map((b) => ({
      value: b.const as string,
      // A title that is only the stored token ("guest.registered") reads as words, like an enum value.
      label: b.title && b.title !== b.const ? capitalize(b.title) : humanize(b.const as string),
    }));
  }
  if (schema.enum) {
    const values = schema.enum.filter((v): v is string => typeof v === 'string');
    return values.length > 0 ? values.map((value) => ({ value, label: humanize(value) })) : null;
  }
  return null;
}

function isDateSchema(key: string, schema: JsonSchema): boolean {
  if (!typesOf(schema).includes('string')) return false;
  return schema.format === 'date' || schema.pattern === DATE_PATTERN || /^date_/.test(key);
}

function toField(key: string, raw: JsonSchema, required: boolean): Field | null {
  const schema = unwrapNullable(raw);
  const base: FieldBase = {
    key,
    label: schema.title ?? humanize(key),
    description: schema.description ?? null,
    required,
  };
  const types = typesOf(schema);
  if (types.includes('array')) {
    const options = (schema.items && stringOptions(unwrapNullable(schema.items))) ?? stringOptions(schema);
    if (!options) return null;
    return {
      ...base,
      kind: 'checkboxes',
      options,
      minItems: schema.minItems ?? null,
      maxItems: schema.maxItems ?? null,
    };
  }
  const options = stringOptions(schema);
  if (options) return { ...base, kind: 'select', options };
  if (types.includes('boolean')) return { ...base, kind: 'checkbox', hasDefault: typeof schema.default === 'boolean' };
  if (types.includes('integer') || types.includes('number')) {
    return {
      ...base,
      kind: 'number',
      integer: types.includes('integer'),
      min: schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : null),
      max: schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : null),
    };
  }
  if (isDateSchema(key, schema)) return { ...base, kind: 'date' };
  if (types.includes('string')) {
    return {
      ...base,
      kind: 'text',
      minLength: schema.minLength ?? null,
      maxLength: schema.maxLength ?? null,
      pattern: schema.pattern ?? null,
    };
  }
  return null;
}

export function buildFormModel(type: ReportType): FormModel {
  const schema = paramsSchemaOf(type);
  const properties = schema.properties ?? {};
  const required = new Set(schema.required ?? []);
  const formatSchema = properties.format ? unwrapNullable(properties.format) : null;
  const schemaFormats = (formatSchema && stringOptions(formatSchema)?.map((o) => o.value)) ?? ['csv', 'pdf'];
  const allowed = type.formats.length > 0 ? type.formats : (['csv', 'pdf'] as const);
  const formats = allowed.filter((f) => schemaFormats.includes(f));
  const csvSwitches: CsvSwitch[] = [];
  for (const [key, label] of Object.entries(CSV_SWITCHES) as [CsvSwitchKey, string][]) {
    const prop = properties[key] ? unwrapNullable(properties[key]) : null;
    if (!prop) continue;
    csvSwitches.push({
      key,
      label,
      default: typeof prop.default === 'boolean' ? prop.default : true,
      description: prop.description ?? null,
    });
  }

  const filters: Field[] = [];
  for (const [key, prop] of Object.entries(properties)) {
    if (COMMON_KEYS.has(key)) continue;
    const field = toField(key, prop, required.has(key));
    if (field) filters.push(field);
  }
  return {
    formats: formats.length > 0 ? formats : ['csv'],
    dateFrom: 'date_from' in properties,
    dateTo: 'date_to' in properties,
    csvSwitches,
    filters,
  };
}

function fieldDefault(field: Field, schema: JsonSchema | undefined): FieldValue {
  const fallback = schema ? unwrapNullable(schema).default : undefined;
  return coerce(field, fallback) ?? emptyValue(field);
}

function emptyValue(field: Field): FieldValue {
  if (field.kind === 'checkbox') return false;
  if (field.kind === 'checkboxes') return [];
  return '';
}

/** A stored parameter value as a form value for this field; null when it does not fit. */
function coerce(field: Field, value: unknown): FieldValue | null {
  if (value === undefined || value === null) return null;
  switch (field.kind) {
    case 'checkbox':
      return typeof value === 'boolean' ? value : null;
    case 'checkboxes':
      return Array.isArray(value)
        ? value.filter((v): v is string => typeof v === 'string' && field.options.some((o) => o.value === v))
        : null;
    case 'select':
      return typeof value === 'string' && field.options.some((o) => o.value === value) ? value : null;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? String(value) : null;
    default:
      return typeof value === 'string' ? value : null;
  }
}

export interface InitialForm {
  format: ReportFormat;
  dateFrom: string;
  dateTo: string;
  csvOptions: Partial<Record<CsvSwitchKey, boolean>>;
  values: FormValues;
}

/** Defaults from the schema, overridden by `prefill` (the parameters of an earlier job). */
export function initialForm(type: ReportType, model: FormModel, prefill?: Partial<JobParams>): InitialForm {
  const properties = paramsSchemaOf(type).properties ?? {};
  const values: FormValues = {};
  for (const field of model.filters) {
    values[field.key] = coerce(field, prefill?.[field.key]) ?? fieldDefault(field, properties[field.key]);
  }
  const firstFormat = model.formats[0] ?? 'csv';
  const format = prefill?.format && model.formats.includes(prefill.format) ? prefill.format : firstFormat;
  const csvOptions: Partial<Record<CsvSwitchKey, boolean>> = {};
  for (const option of model.csvSwitches) {
    const stored = prefill?.[option.key];
    csvOptions[option.key] = typeof stored === 'boolean' ? stored : option.default;
  }
  return {
    format,
    dateFrom: typeof prefill?.date_from === 'string' ? prefill.date_from : '',
    dateTo: typeof prefill?.date_to === 'string' ? prefill.date_to : '',
    csvOptions,
    values,
  };
}

function safeRegExp(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern, 'u');
  } catch {
    return null;
  }
}

/** Problems with the filter fields, keyed by field; empty when the values are fine. */
export function validateFilters(model: FormModel, values: FormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const field of model.filters) {
    const value = values[field.key];
    switch (field.kind) {
      case 'checkboxes': {
        const chosen = Array.isArray(value) ? value : [];
        const min = field.minItems ?? 0;
        if (chosen.length === 0 && field.required) errors[field.key] = `Choose at least ${Math.max(1, min)}.`;
        else if (chosen.length > 0 && chosen.length < min) errors[field.key] = `Choose at least ${min}.`;
        else if (field.maxItems !== null && chosen.length > field.maxItems)
          errors[field.key] = `Choose at most ${field.maxItems}.`;
        break;
      }
      case 'checkbox':
        break;
      case 'number': {
        const text = typeof value === 'string' ? value.trim() : '';
        if (text === '') {
          if (field.required) errors[field.key] = 'Enter a number.';
          break;
        }
        const n = Number(text);
        if (!Number.isFinite(n) || (field.integer && !Number.isInteger(n))) {
          errors[field.key] = field.integer ? 'Enter a whole number.' : 'Enter a number.';
        } else if (field.min !== null && n < field.min) errors[field.key] = `Enter ${field.min} or more.`;
        else if (field.max !== null && n > field.max) errors[field.key] = `Enter ${field.max} or less.`;
        break;
      }
      case 'date': {
        const text = typeof value === 'string' ? value : '';
        if (text === '') {
          if (field.required) errors[field.key] = 'Choose a date.';
        } else if (!isIsoDate(text)) errors[field.key] = 'Enter a date as YYYY-MM-DD.';
        break;
      }
      case 'select': {
        if (field.required && (typeof value !== 'string' || value === '')) errors[field.key] = 'Choose an option.';
        break;
      }
      case 'text': {
        const text = typeof value === 'string' ? value.trim() : '';
        if (text === '') {
          if (field.required) errors[field.key] = 'This field is required.';
          break;
        }
        if (field.minLength !== null && text.length < field.minLength)
          errors[field.key] = `Enter at least ${field.minLength} characters.`;
        else if (field.maxLength !== null && text.length > field.maxLength)
          errors[field.key] = `Enter at most ${field.maxLength} characters.`;
        else if (field.pattern !== null && safeRegExp(field.pattern)?.test(text) === false)
          errors[field.key] = 'This value is not in the expected form.';
        break;
      }
    }
  }
  return errors;
}

export interface ParamsInput {
  format: ReportFormat;
  dateFrom: string;
  dateTo: string;
  csvOptions: Partial<Record<CsvSwitchKey, boolean>>;
  values: FormValues;
}

/** The `params` object to POST: empty optional fields are left out, the CSV switches only for CSV. */
export function buildParams(model: FormModel, input: ParamsInput): JobParams {
  const params: JobParams = { format: input.format };
  if (model.dateFrom && input.dateFrom) params.date_from = input.dateFrom;
  if (model.dateTo && input.dateTo) params.date_to = input.dateTo;
  if (input.format === 'csv') {
    for (const option of model.csvSwitches) params[option.key] = input.csvOptions[option.key] ?? option.default;
  }
  for (const field of model.filters) {
    const value = input.values[field.key];
    switch (field.kind) {
      case 'checkbox':
        if (value === true || field.hasDefault || field.required) params[field.key] = value === true;
        break;
      case 'checkboxes':
        if (Array.isArray(value) && value.length > 0)
          params[field.key] = field.options.map((o) => o.value).filter((v) => value.includes(v));
        break;
      case 'number':
        if (typeof value === 'string' && value.trim() !== '') params[field.key] = Number(value);
        break;
      default:
        if (typeof value === 'string' && value.trim() !== '') params[field.key] = value.trim();
    }
  }
  return params;
}
