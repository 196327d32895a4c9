import { findInvitation, invitationState, invitationUrl, newInvitationLink } from '../db/invitations';
import type { OutboxRow } from '../db/outbox';
import { prepare } from '../db/sql';
import type { Env } from '../env';
import { type EmailContent, invitationEmail } from './messages';

/**
 * The invitation email of an outbox row. Its link is made now, for this email only: the outbox
 * keeps the invitation's id, never a secret, and the link's hash is stored before the email leaves.
 */
export async function renderInvitationEmail(
  env: Env,
  row: OutboxRow,
  now: number,
): Promise<EmailContent | { cannotSend: string }> {
  const { invitation_id } = JSON.parse(row.payload) as { invitation_id?: string };
  const invitation = invitation_id ? await findInvitation(env.DB, invitation_id) : null;
  if (!invitation) return { cannotSend: 'the invitation does not exist' };
  const state = invitationState(invitation, now);
  if (state !== 'open') return { cannotSend: `the invitation is ${state}` };
  const link = await newInvitationLink(invitation.id, now);
  await prepare(env.DB, link.part).run();
  return invitationEmail({
    url: invitationUrl(env.APP_ORIGIN, link.token),
    workspaceName: invitation.workspace_name,
    role: invitation.role,
    operator: invitation.make_operator === 1,
    invitedByName: invitation.invited_by_name,
    expiresOn: `${new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' }).format(invitation.expires_at)} UTC`,
  });
}
