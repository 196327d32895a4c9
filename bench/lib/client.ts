// A signed-in API client of the app: the session cookie from POST /v1/auth/login on every request.

import { DEMO_PASSWORD } from '../../scripts/demo-data';

export interface Job {
  job_id: string;
  status: string;
  phase: string | null;
  rows_done: number;
  rows_expected: number | null;
  bytes_written: number;
  attempts: number;
  created_at: number;
  snapshot_at: number;
  started_at: number | null;
  finished_at: number | null;
  cancel_requested_at: number | null;
  failure_code: string | null;
  failure_reason: string | null;
  download_url: string | null;
  artifact: { size_bytes: number; row_count: number } | null;
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'expired']);
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class Session {
  private constructor(
    readonly base: string,
    readonly cookie: string,
    readonly email: string,
  ) {}

  static async login(base: string, email: string): Promise<Session> {
    const res = await fetch(`${base}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
    const cookie = res.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .find((c) => c?.startsWith('voyage_session='));
    if (!cookie) throw new Error(`login ${email}: no session cookie`);
    return new Session(base, cookie, email);
  }

  /** The session token alone, for a browser cookie. */
  get token(): string {
    return this.cookie.slice('voyage_session='.length);
  }

  /** One request; gives up after `timeoutMs` (the local runtime can starve requests, see README). */
  async request<T>(method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<{ status: number; json: T }> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  }

  async ok<T>(method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const { status, json } = await this.request<T>(method, path, body, timeoutMs);
    if (status >= 300) throw new Error(`${method} ${path}: ${status} ${JSON.stringify(json)}`);
    return json;
  }

  async bytes(path: string): Promise<Buffer> {
    const res = await fetch(`${this.base}${path}`, { headers: { cookie: this.cookie } });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  }
}

export const jobsPath = (eventId: string) => `/v1/admin/events/${eventId}/reports/jobs`;

export function createOrdersJob(s: Session, eventId: string): Promise<Job> {
  return s.ok<Job>('POST', jobsPath(eventId), { type: 'orders', params: { format: 'csv' }, notify_emails: [] });
}

export function getJob(s: Session, eventId: string, jobId: string, timeoutMs?: number): Promise<Job> {
  return s.ok<Job>('GET', `${jobsPath(eventId)}/${jobId}`, undefined, timeoutMs);
}

export interface Polled {
  job: Job;
  /** When the poll that saw `done` answered. */
  seenAt: number;
  polls: number;
  /** The slowest poll's latency, ms: how long the web request waited while the job ran. */
  maxPollMs: number;
  /** Polls that got no answer within 15 s and were abandoned. */
  stalledPolls: number;
}

/** Poll every `intervalMs` until `done(job)` (default: a terminal status); gives up after `timeoutMs`. */
export async function pollJob(
  s: Session,
  eventId: string,
  jobId: string,
  options: { intervalMs?: number; timeoutMs?: number; done?: (job: Job) => boolean } = {},
): Promise<Polled> {
  const { intervalMs = 50, timeoutMs = 600_000, done = (j: Job) => TERMINAL.has(j.status) } = options;
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  let maxPollMs = 0;
  let stalledPolls = 0;
  for (;;) {
    const sent = Date.now();
    let job: Job;
    try {
      job = await getJob(s, eventId, jobId, 15_000);
    } catch (err) {
      if (!(err instanceof Error && err.name === 'TimeoutError')) throw err;
      stalledPolls++;
      maxPollMs = Math.max(maxPollMs, Date.now() - sent);
      if (Date.now() > deadline) throw new Error(`job ${jobId}: no answer after ${timeoutMs} ms`);
      continue;
    }
    const seenAt = Date.now();
    polls++;
    maxPollMs = Math.max(maxPollMs, seenAt - sent);
    if (done(job)) return { job, seenAt, polls, maxPollMs, stalledPolls };
    if (TERMINAL.has(job.status)) throw new Error(`job ${jobId} ended ${job.status} (${job.failure_reason ?? ''})`);
    if (seenAt > deadline) throw new Error(`job ${jobId} still ${job.status} after ${timeoutMs} ms`);
    await sleep(intervalMs);
  }
}

export async function setRunnerPaused(admin: Session, paused: boolean): Promise<void> {
  await admin.ok('PUT', '/v1/admin/ops/settings', { runner_paused: paused });
}
