import { z } from 'zod';
import type { TimeStyle } from '../time';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date in the form YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'Not a calendar date',
  });

/**
 * Parameters every report type takes. Dates are inclusive, in the event's time zone. The titles
 * and descriptions travel in the catalog's JSON Schema, so the form can label its fields.
 */
export const commonParams = z.strictObject({
  format: z.enum(['csv', 'pdf']).meta({ title: 'Format' }),
  date_from: isoDate.optional().meta({ title: 'From', description: 'First day included, in the event’s time zone.' }),
  date_to: isoDate.optional().meta({ title: 'To', description: 'Last day included, in the event’s time zone.' }),
  /** A UTF-8 byte-order mark, so Excel opens accents and emoji correctly. */
  include_bom: z
    .boolean()
    .default(true)
    .meta({ title: 'Excel-friendly CSV', description: 'Start the CSV with a byte-order mark so Excel shows accents and emoji.' }),
  /** CSV times a spreadsheet imports as dates; the ISO form (with its offset) when false. PDFs ignore it. */
  spreadsheet_times: z.boolean().default(true).meta({
    title: 'Spreadsheet-ready times',
    description:
      'Write times as YYYY-MM-DD HH:MM:SS in the event’s time zone (named in the column header), which Excel and LibreOffice read as dates. Off: ISO 8601 with the UTC offset.',
  }),
});
export type CommonParams = z.infer<typeof commonParams>;

/** Reject a range that ends before it starts, naming the field. */
export function withDateRange<T extends z.ZodType<CommonParams>>(schema: T) {
  return schema.superRefine((p, ctx) => {
    if (p.date_from && p.date_to && p.date_from > p.date_to) {
      ctx.addIssue({ code: 'custom', path: ['date_to'], message: 'date_to must be on or after date_from' });
    }
  });
}

/** An id of the event's own data (a ticket type, a sponsor): the catalog lists the choices. */
export const idParam = (title: string) =>
  z
    .string()
    .regex(/^[a-z0-9]{1,64}$/, `Use a ${title.toLowerCase()} id from the list`)
    .optional()
    .meta({ title });

/** A free-text value matched exactly (an activity action, a campaign, an entrance). */
export const textParam = (title: string) => z.string().trim().min(1).max(200).optional().meta({ title });

/** The time style of a report's cells: the spreadsheet form for a CSV that asks for it, else ISO. */
export function timeStyleOf(params: CommonParams): TimeStyle {
  return params.format === 'csv' && params.spreadsheet_times ? 'spreadsheet' : 'iso';
}
