export const MAX_RECIPIENTS = 10;

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;.]+$/;

/** Comma-separated addresses, deduplicated (case-insensitively); `invalid` lists the rejects. */
export function parseRecipients(input: string): { emails: string[]; invalid: string[] } {
  const emails: string[] = [];
  const invalid: string[] = [];
  const seen = new Set<string>();
  for (const part of input.split(/[,;\n]/)) {
    const email = part.trim();
    if (email === '') continue;
    if (!EMAIL.test(email) || email.length > 254) invalid.push(email);
    else if (!seen.has(email.toLowerCase())) {
      seen.add(email.toLowerCase());
      emails.push(email);
    }
  }
  return { emails, invalid };
}

/** What is wrong with a recipients field, or null. `required`: at least one address. */
export function recipientsError(input: string, options: { required?: boolean } = {}): string | null {
  const { emails, invalid } = parseRecipients(input);
  if (invalid.length === 1) return `"${invalid[0]}" is not a valid email address. Separate addresses with commas.`;
  if (invalid.length > 1)
    return `These are not valid email addresses: ${invalid.map((e) => `"${e}"`).join(', ')}. Separate addresses with commas.`;
  if (emails.length > MAX_RECIPIENTS) return `Add at most ${MAX_RECIPIENTS} recipients.`;
  if (options.required && emails.length === 0) return 'Add at least one email address.';
  return null;
}

export function RecipientsHint({ id }: { id: string }) {
  return (
    <p className="hint" id={id}>
      Members of this workspace who can open this report; start typing a name or email. Separate addresses with commas (up to{' '}
      {MAX_RECIPIENTS}). We email them a link when the report is ready.
    </p>
  );
}
