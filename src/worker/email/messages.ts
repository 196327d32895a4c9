import { html } from 'hono/html';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** "Your report is ready": plain text and HTML, the signed link, and when the link stops working. */
export async function reportReadyEmail(m: {
  reportName: string;
  eventName: string;
  fileName: string;
  url: string;
  linkExpiresOn: string;
  retentionDays: number;
}): Promise<EmailContent> {
  const subject = `Your ${m.reportName} report for ${m.eventName} is ready`;
  const text = [
    `Your ${m.reportName} report for ${m.eventName} is ready.`,
    '',
    `Download ${m.fileName}:`,
    m.url,
    '',
    `This link works until ${m.linkExpiresOn} for members of your workspace who are signed in to Voyage.`,
    `The file is kept for ${m.retentionDays} days; after that, generate it again from the report center.`,
  ].join('\n');
  const body = await html`<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2330">
<p>Your <strong>${m.reportName}</strong> report for <strong>${m.eventName}</strong> is ready.</p>
<p><a href="${m.url}" style="display:inline-block;background:#2f5bea;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none">Download ${m.fileName}</a></p>
<p style="color:#4a5568">This link works until ${m.linkExpiresOn} for members of your workspace who are signed in to Voyage.
The file is kept for ${m.retentionDays} days; after that, generate it again from the report center.</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}

/** To workspace admins: someone asked for access to an admin-only report type. */
export async function accessRequestEmail(m: {
  requesterName: string;
  requesterEmail: string;
  reportName: string;
  workspaceName: string;
  eventName: string | null;
}): Promise<EmailContent> {
  const where = m.eventName ? ` for ${m.eventName}` : '';
  const subject = `${m.requesterName} asks for access to the ${m.reportName} report`;
  // What an admin can actually do in the app: an invitation as admin changes an existing member's role.
  const how = `Only workspace admins can run it. To give ${m.requesterName} access, invite ${m.requesterEmail} as an admin in Voyage Reports under Settings › Members; accepting the invitation changes their role.`;
  const text = `${m.requesterName} (${m.requesterEmail}) asked for access to the ${m.reportName} report${where} in ${m.workspaceName}.\n${how}`;
  const body = await html`<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2330">
<p><strong>${m.requesterName}</strong> (${m.requesterEmail}) asked for access to the <strong>${m.reportName}</strong> report${where} in ${m.workspaceName}.</p>
<p>${how}</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}

/** An invitation: to a workspace with a role, and/or to operate the platform. The link is one-time. */
export async function invitationEmail(m: {
  url: string;
  workspaceName: string | null;
  role: string | null;
  operator: boolean;
  invitedByName: string | null;
  expiresOn: string;
}): Promise<EmailContent> {
  const what = [
    m.workspaceName ? `${m.workspaceName} as ${/^[aeiou]/.test(m.role ?? '') ? 'an' : 'a'} ${m.role}` : null,
    m.operator ? 'operate the Voyage Reports platform' : null,
  ]
    .filter(Boolean)
    .join(', and to ');
  const by = m.invitedByName ? `${m.invitedByName} invited you` : 'You are invited';
  const subject = m.workspaceName ? `Join ${m.workspaceName} on Voyage Reports` : 'Your Voyage Reports operator account';
  const text = [
    `${by} to join ${what}.`,
    '',
    'Accept the invitation and choose your password:',
    m.url,
    '',
    `The link works once, until ${m.expiresOn}. If you did not expect it, ignore this email.`,
  ].join('\n');
  const body = await html`<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#1d2330">
<p>${by} to join <strong>${what}</strong>.</p>
<p><a href="${m.url}" style="display:inline-block;background:#2f5bea;color:#fff;padding:10px 18px;border-radius:8px;text-decoration:none">Accept the invitation</a></p>
<p style="color:#4a5568">The link works once, until ${m.expiresOn}. If you did not expect it, ignore this email.</p>
</body></html>`;
  return { subject, text, html: body.toString() };
}
