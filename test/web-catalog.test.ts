import { describe, expect, it } from 'vitest';
import { knownReportType, REPORT_TYPE_NAMES } from '../src/web/features/reports/reportTypes';
import { reportTypesFor } from '../src/worker/reports/catalog';

// The permission gate (/admin/reports/new?type=…) names a type from the SPA's list of every type,
// because the catalog only lists what the caller may run. That list is the server's, word for word.

describe("the SPA's list of report types", () => {
  it('is exactly the server catalog: same keys, names and descriptions', () => {
    const server = Object.fromEntries(reportTypesFor('admin').map((t) => [t.key, { name: t.name, description: t.description }]));
    expect(REPORT_TYPE_NAMES).toEqual(server);
  });

  it('knows no other name, prototype keys included', () => {
    for (const key of ['wire-money', 'constructor', '__proto__', 'toString', 'hasOwnProperty', '']) {
      expect(knownReportType(key), key).toBeNull();
    }
    expect(knownReportType('audit-log')?.name).toBe('Audit log');
  });
});
