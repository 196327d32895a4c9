import { z } from 'zod';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use a date in the form YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    message: 'Not a calendar date',
  });

/** Parameters every report type takes. Dates are inclusive, in the event's time zone. */
export const commonParams = z.strictObject({
  format: z.enum(['csv', 'pdf']),
  date_from: isoDate.optional(),
  date_to: isoDate.optional(),
  /** A UTF-8 byte-order mark, so Excel opens accents and emoji correctly. */
  include_bom: z.boolean().default(true),
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
