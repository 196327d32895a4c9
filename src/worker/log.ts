/** One structured JSON line per fact worth reading later. Never pass secrets or signed URLs. */
export function log(level: 'info' | 'warn' | 'error', msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, at: new Date().toISOString(), ...fields });
  if (level === 'error') console.error(line);
  else if (level === 'warn') console.warn(line);
  else console.log(line);
}

export function errorFields(err: unknown): Record<string, unknown> {
  if (err instanceof Error) return { error: err.message, stack: err.stack };
  return { error: String(err) };
}

/** The fields every log line about a job carries, so one query finds a job's whole story. */
export function jobLogFields(job: {
  id: string;
  event_id: string;
  workspace_id: string;
  requested_by: string;
  type: string;
}): Record<string, string> {
  return { job_id: job.id, event_id: job.event_id, workspace_id: job.workspace_id, user_id: job.requested_by, type: job.type };
}
