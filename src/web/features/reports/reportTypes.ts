// No imports: test/web-catalog.test.ts compares this list with the server's catalog inside workerd.

/**
 * Every report type that exists, by key. The catalog only lists what the caller may run, so the
 * permission gate needs this to name a type the caller cannot see, and to tell it from a type that
 * does not exist at all. Kept equal to the server's catalog by test/web-catalog.test.ts.
 */
export const REPORT_TYPE_NAMES: Readonly<Record<string, { name: string; description: string }>> = {
  'guest-list': {
    name: 'Guest list summary',
    description: 'Every guest with contact details, ticket, RSVP status, registration and check-in time.',
  },
  'activity-log': {
    name: 'Activity log',
    description: 'Registrations, RSVP changes, orders, check-ins and profile edits around the event, in time order.',
  },
  'email-deliverability': {
    name: 'Email deliverability',
    description: 'Per campaign: emails sent, delivered, bounced, spam complaints and opens, with rates.',
  },
  'graphical-check-in': {
    name: 'Graphical check-in',
    description: 'Check-ins per 15 minutes with a running total; the PDF draws the check-in curve.',
  },
  ticketing: {
    name: 'Specialized ticketing report',
    description: 'Sales by ticket type: tickets sold and refunded, gross sales, refunds and net revenue per currency.',
  },
  attendance: {
    name: 'Attendance',
    description: 'Per ticket type: registered, RSVP yes, checked in, no-shows, walk-ins and attendance rates.',
  },
  'registration-timeline': {
    name: 'Registration timeline',
    description: 'Registrations per day in the event’s time zone, with a running total and RSVP answers.',
  },
  'sponsor-leads': {
    name: 'Sponsor lead export',
    description: 'Badges scanned at sponsor booths: the lead’s contact details, rating and notes, in scan order.',
  },
  'ticket-block-utilization': {
    name: 'Ticket-block utilization',
    description: 'Each block of tickets held for a sponsor, the press or a partner: allocated, claimed, remaining.',
  },
  orders: {
    name: 'Orders',
    description: 'Every order with buyer, status, tickets, total and refunds, filtered like the orders page.',
  },
  'audit-log': {
    name: 'Audit log',
    description:
      'Administrative changes to the event, who asked for and downloaded its reports, and sign-ins to the workspace. Workspace admins only.',
  },
};

/** A real report type's name and description (own keys only: "constructor" is no report). */
export function knownReportType(key: string): { name: string; description: string } | null {
  return Object.hasOwn(REPORT_TYPE_NAMES, key) ? (REPORT_TYPE_NAMES[key] ?? null) : null;
}
