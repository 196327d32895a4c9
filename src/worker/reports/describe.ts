// A report's parameters in words, for the top of its PDF: "Order date: 2026-02-01 – 2026-02-07",
// "Ticket type: VIP". Labels come from the titles in the type's schema; ids of the event's data
// are shown by name.

import { z } from 'zod';
import type { CommonParams } from './params';
import type { ReportContext, ReportType } from './types';

// The format, the dates and how the CSV is written are not filters of the data.
const SHOWN_ELSEWHERE = new Set(['format', 'include_bom', 'spreadsheet_times', 'date_from', 'date_to']);

function titles(type: ReportType): Record<string, string> {
  const schema = z.toJSONSchema(type.params, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, { title?: string }>;
  };
  const out: Record<string, string> = {};
  for (const [key, prop] of Object.entries(schema.properties ?? {})) out[key] = prop.title ?? key.replaceAll('_', ' ');
  return out;
}

export async function describeParams(
  type: ReportType,
  ctx: ReportContext<CommonParams>,
): Promise<{ label: string; value: string }[]> {
  const p = ctx.params;
  const lines = [
    {
      label: type.dateField,
      value: p.date_from || p.date_to ? `${p.date_from ?? 'the beginning'} – ${p.date_to ?? 'today'}` : 'all dates',
    },
  ];
  const labels = titles(type);
  const options = type.fieldOptions ? await type.fieldOptions(ctx.db, ctx.event) : {};
  for (const [key, raw] of Object.entries(p as Record<string, unknown>)) {
    if (SHOWN_ELSEWHERE.has(key) || raw === undefined || raw === null || raw === '') continue;
    const values = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    const named = values.map((v) => options[key]?.find((o) => o.value === v)?.label ?? v);
    lines.push({ label: labels[key] ?? key, value: named.join(', ') });
  }
  return lines;
}
