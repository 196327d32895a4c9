/**
 * Every cache key of the SPA, in one place, so a mutation invalidates exactly what it changed.
 * Keys are hierarchical: invalidating `reports.jobs(eventId)` refreshes every page of that list and
 * every single job of the event.
 */
export const queryKeys = {
  session: ['session'] as const,
  invitation: (token: string) => ['invitation', token] as const,
  events: {
    list: ['events', 'list'] as const,
    detail: (eventId: string) => ['events', 'detail', eventId] as const,
  },
  reports: {
    catalog: (eventId: string) => ['reports', eventId, 'catalog'] as const,
    jobs: (eventId: string) => ['reports', eventId, 'jobs'] as const,
    jobList: (eventId: string, query: object) => ['reports', eventId, 'jobs', 'list', query] as const,
    job: (eventId: string, jobId: string) => ['reports', eventId, 'jobs', 'one', jobId] as const,
    estimate: (eventId: string, type: string, params: string) => ['reports', eventId, 'estimate', type, params] as const,
    recipients: (eventId: string, type: string, q: string) => ['reports', eventId, 'recipients', type, q] as const,
    gate: (type: string, eventId: string | null) => ['reports', 'gate', type, eventId] as const,
  },
  orders: {
    list: (eventId: string, query: object) => ['orders', eventId, 'list', query] as const,
    filters: (eventId: string) => ['orders', eventId, 'filters'] as const,
  },
  ops: {
    all: ['ops'] as const,
    overview: (range: string) => ['ops', 'overview', range] as const,
  },
  workspace: {
    members: (workspaceId: string) => ['workspace', workspaceId, 'members'] as const,
    tokens: (workspaceId: string) => ['workspace', workspaceId, 'api-tokens'] as const,
  },
};
