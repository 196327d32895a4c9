import { rolesWith } from '../auth/roles';
import { eligibleRecipients } from '../db/users';
import type { ReportType } from '../reports/types';

// A report's link works only for signed-in members who may read its type, so those are the only
// people its emails go to: anyone else would get a link they cannot open, and the outbox would be
// a relay for mail to any address.

/** The addresses of `emails` that are not members of the workspace who may read `type`, in order. */
export async function ineligibleRecipients(
  db: D1Database,
  workspaceId: string,
  type: Pick<ReportType, 'permission'>,
  emails: readonly string[],
): Promise<string[]> {
  const eligible = await eligibleRecipients(db, workspaceId, rolesWith(type.permission), emails);
  return emails.filter((email) => !eligible.has(email.toLowerCase()));
}
