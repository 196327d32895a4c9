/**
 * Bindings, vars and required secrets: `Cloudflare.Env` is generated from wrangler.jsonc by
 * `npm run cf-typegen` (worker-configuration.d.ts; `npm test` fails when it is stale). Vars arrive as
 * strings; `settings()` parses them. Added here: the queue's message type, and the settings that
 * are optional and so declared nowhere in wrangler.jsonc.
 */
export interface Env
  extends Omit<Cloudflare.Env, 'REPORT_JOBS' | 'REPORT_MAX_ARTIFACT_BYTES_BY_TYPE' | 'REPORT_ARTIFACT_RETENTION_DAYS_BY_TYPE'> {
  REPORT_JOBS: Queue<ReportJobMessage>;
  /**
   * Ceilings of particular report types, overriding REPORT_MAX_ARTIFACT_BYTES: an object in
   * wrangler.jsonc (`{ "orders": 104857600 }`), or the same as JSON text in .dev.vars.
   */
  REPORT_MAX_ARTIFACT_BYTES_BY_TYPE?: string | object;
  /** Retention of particular report types' files, overriding REPORT_ARTIFACT_RETENTION_DAYS (same forms). */
  REPORT_ARTIFACT_RETENTION_DAYS_BY_TYPE?: string | object;
  /** Wall time of one runner invocation (tests and benchmarks lower it). */
  RUNNER_TIME_BUDGET_MS?: string;
  /** Accepted for signatures during a rotation's grace period, then removed (a secret). */
  REPORT_DOWNLOAD_SIGNING_SECRET_PREVIOUS?: string;
}

export interface ReportJobMessage {
  job_id: string;
}

export interface Settings {
  downloadUrlTtlSeconds: number;
  artifactRetentionDays: number;
  /** Report types whose files are kept for another time (orders: 7 days, docs/spec/orders-export-spec-packet.txt). */
  artifactRetentionDaysByType: Readonly<Record<string, number>>;
  /** The file size past which a report fails (never truncated), for types without their own. */
  maxArtifactBytes: number;
  /** Report types with a ceiling of their own (orders, sized for the large accounts it exists for). */
  maxArtifactBytesByType: Readonly<Record<string, number>>;
  dailyQuotaPerUser: number;
  /** Wall time one runner invocation may use before it checkpoints and re-enqueues itself. */
  runnerTimeBudgetMs: number;
  /** A queued job older than this shows "taking longer than usual". */
  stuckNoteMs: number;
  /** A queued job older than this is failed and retried automatically. */
  stuckFailMs: number;
}

function positiveInt(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** `{ type: number }` from a by-type var; entries that are not positive integers are left out. */
function byType(value: string | object | undefined): Record<string, number> {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      parsed = null;
    }
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const out: Record<string, number> = {};
  for (const [type, bytes] of Object.entries(parsed)) {
    const n = positiveInt(String(bytes), 0);
    if (n > 0) out[type] = n;
  }
  return out;
}

/** How many days one report type's files are kept. */
export function retentionDays(s: Settings, type: string): number {
  return s.artifactRetentionDaysByType[type] ?? s.artifactRetentionDays;
}

/** The size ceiling of one report type's files. */
export function artifactLimit(s: Settings, type: string): number {
  return s.maxArtifactBytesByType[type] ?? s.maxArtifactBytes;
}

export function settings(env: Env): Settings {
  return {
    downloadUrlTtlSeconds: positiveInt(env.REPORT_DOWNLOAD_URL_TTL_SECONDS, 7 * 24 * 3600),
    artifactRetentionDays: positiveInt(env.REPORT_ARTIFACT_RETENTION_DAYS, 30),
    maxArtifactBytes: positiveInt(env.REPORT_MAX_ARTIFACT_BYTES, 50 * 1024 * 1024),
    maxArtifactBytesByType: byType(env.REPORT_MAX_ARTIFACT_BYTES_BY_TYPE),
    artifactRetentionDaysByType: byType(env.REPORT_ARTIFACT_RETENTION_DAYS_BY_TYPE),
    dailyQuotaPerUser: positiveInt(env.REPORT_DAILY_QUOTA_PER_USER, 100),
    // Queue consumers get 15 minutes of wall time; leave room to finish the part in flight.
    runnerTimeBudgetMs: positiveInt(env.RUNNER_TIME_BUDGET_MS, 10 * 60_000),
    stuckNoteMs: positiveInt(env.REPORT_STUCK_NOTE_MINUTES, 5) * 60_000,
    stuckFailMs: positiveInt(env.REPORT_STUCK_FAIL_MINUTES, 15) * 60_000,
  };
}

/** The current signing secret first, then the previous one while a rotation's grace period lasts. */
export function signingSecrets(env: Env): string[] {
  return [env.REPORT_DOWNLOAD_SIGNING_SECRET, env.REPORT_DOWNLOAD_SIGNING_SECRET_PREVIOUS].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  );
}
