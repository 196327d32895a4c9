// The configuration the Worker cannot run without, checked on the first request, cron tick or
// queue batch of each isolate. `wrangler deploy` already refuses to deploy while a secret listed in
// wrangler.jsonc `secrets.required` is unset; this catches what it cannot: a secret deleted later,
// a value too short to be a key, an origin that is not a URL. The answer is a readable 503 and one
// log line naming what to fix, instead of a 500 on the first download link.

import type { Env } from './env';
import { REQUIRED_SECRETS } from './secrets';

const BINDINGS = ['DB', 'REPORTS_BUCKET', 'REPORT_JOBS', 'EMAIL'] as const;

export function configProblems(env: Env): string[] {
  const problems: string[] = [];
  for (const name of BINDINGS) {
    if (!env[name]) problems.push(`the ${name} binding is missing (see wrangler.jsonc)`);
  }
  for (const name of REQUIRED_SECRETS) {
    const value = env[name];
    if (typeof value !== 'string' || value.trim() === '') problems.push(`${name} is not set (npx wrangler secret put ${name})`);
  }
  const signing = env.REPORT_DOWNLOAD_SIGNING_SECRET;
  if (typeof signing === 'string' && signing.trim() !== '' && signing.length < 32) {
    problems.push('REPORT_DOWNLOAD_SIGNING_SECRET must be at least 32 characters (e.g. openssl rand -hex 32)');
  }
  if (!URL.canParse(env.APP_ORIGIN ?? '') || new URL(env.APP_ORIGIN).origin !== env.APP_ORIGIN.replace(/\/$/, '')) {
    problems.push(
      `APP_ORIGIN must be the app's public origin, like https://reports.example.com (it is "${env.APP_ORIGIN ?? ''}")`,
    );
  }
  if (!/^[^@\s]+@[^@\s]+$/.test(env.EMAIL_FROM ?? '')) problems.push('EMAIL_FROM must be an email address');
  return problems;
}

const checked = new WeakMap<object, string[]>();

/** The problems of this env, computed (and logged, when there are any) once per isolate. */
export function checkConfig(env: Env): string[] {
  let problems = checked.get(env);
  if (!problems) {
    problems = configProblems(env);
    checked.set(env, problems);
    if (problems.length > 0) console.error(JSON.stringify({ level: 'error', msg: 'config.invalid', problems }));
  }
  return problems;
}

export function misconfiguredResponse(problems: string[]): Response {
  return Response.json(
    {
      error: {
        code: 'misconfigured',
        message: `Voyage Reports is not configured yet: ${problems.join('; ')}. The operator fixes this in the Worker's settings; see "Deploying" in the README.`,
      },
    },
    { status: 503, headers: { 'retry-after': '60', 'cache-control': 'no-store' } },
  );
}
