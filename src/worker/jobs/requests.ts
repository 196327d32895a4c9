// What a request about report jobs may say: validated at the edge, documented in OpenAPI from the
// same schemas. Shared by the report center's routes (routes/jobs.ts) and the token API.

import { z } from 'zod';
import { JOB_SORTS } from '../db/job-list';
import { JOB_STATUSES } from './state';

export const listQuery = z.object({
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  sort: z.enum(Object.keys(JOB_SORTS) as [keyof typeof JOB_SORTS]).default('created_at'),
  order: z.enum(['asc', 'desc']).default('desc'),
  /** `mine`: only the caller's own requests (the report center's default); `all`: everyone's. */
  scope: z.enum(['all', 'mine']).default('all'),
  type: z.string().min(1).max(64).optional(),
  status: z.enum(JOB_STATUSES).optional(),
});

export const resendBody = z.strictObject({
  notify_emails: z.array(z.email().max(254)).min(1).max(10),
});

export const createBody = z.strictObject({
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
  notify_emails: z.array(z.email().max(254)).max(10).default([]),
});
