import { env } from 'cloudflare:workers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { EVENT_SLUG } from '../src/worker/db/events';
import { runReportJob } from '../src/worker/jobs/runner';
import { downloadPath, signDownloadUrl } from '../src/worker/signing';
import { EVENT_ID, insertQueuedJob, login, request, seedFixture, USERS } from './helpers';

// The last header and link gaps: event slugs in Content-Disposition, files past retention, HEAD
// requests, and the regenerate-link form answering browsers with pages.

const SECRET = 'test-signing-secret-0123456789abcdef';
const HTML = { accept: 'text/html' };
const SAFE_DISPOSITION = /^attachment; filename="[A-Za-z0-9._-]+"; filename\*=UTF-8''[^"\s;]+$/;

let organizer: string;

beforeAll(async () => {
  await seedFixture(10);
  organizer = await login('organizer');
});

async function completedJob() {
  const job = await insertQueuedJob();
  expect(await runReportJob(env, job.id)).toBe('completed');
  return job;
}

const link = async (jobId: string) => signDownloadUrl(SECRET, downloadPath(EVENT_ID, jobId), Math.floor(Date.now() / 1000) + 600);
const counted = async (jobId: string) => {
  const row = await env.DB.prepare(
    `SELECT a.download_count AS downloads,
            (SELECT COUNT(*) FROM audit_log WHERE action = 'report.downloaded' AND subject_id = a.job_id) AS audited,
            (SELECT COALESCE(SUM(count), 0) FROM metric_events WHERE name = 'download_served') AS served
       FROM event_report_job_artifacts a WHERE a.job_id = ?`,
  )
    .bind(jobId)
    .first<{ downloads: number; audited: number; served: number }>();
  return row;
};

describe('event slugs in headers', () => {
  const insertEvent = (id: string, slug: string) =>
    env.DB.prepare("INSERT INTO events VALUES (?, 'wacme', 'Hostile', ?, 'UTC', 0, 1, 0)").bind(id, slug).run();

  it('the database refuses exactly the slugs EVENT_SLUG refuses, on insert and on update', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 70 }),
          fc.stringMatching(/^[a-z0-9-]{0,70}$/),
          fc.constantFrom("\"; filename*=UTF-8''evil.html", 'a\r\nb', 'café', 'UPPER', '-x', 'x-', 'a'.repeat(65)),
        ),
        async (slug) => {
          const id = `evslug${n++}`;
          const inserted = await insertEvent(id, slug).then(
            () => true,
            () => false,
          );
          expect(inserted, JSON.stringify(slug)).toBe(EVENT_SLUG.test(slug));
          const updated = await env.DB.prepare("UPDATE events SET slug = ? WHERE id = 'evsummit'")
            .bind(slug)
            .run()
            .then(
              () => true,
              () => false,
            );
          expect(updated, JSON.stringify(slug)).toBe(EVENT_SLUG.test(slug));
        },
      ),
      { seed: 15, numRuns: 200 },
    );
    await env.DB.prepare("UPDATE events SET slug = 'acme-summit' WHERE id = 'evsummit'").run();
  });

  it('the direct orders export names its file with the download sanitiser, whatever an older slug holds', async () => {
    // Slugs written before the rule existed: the trigger is lifted for this test only.
    const hostile = ["x\"; filename*=UTF-8''evil.html", 'line\r\nSet-Cookie: a=b', 'café-ü', 'half\uD800surrogate'];
    await env.DB.exec('DROP TRIGGER IF EXISTS events_slug_valid_on_insert');
    try {
      for (const [i, slug] of hostile.entries()) await insertEvent(`evhostile${i}`, slug);
    } finally {
      await env.DB.exec(
        `CREATE TRIGGER events_slug_valid_on_insert BEFORE INSERT ON events WHEN NEW.slug = '' OR length(NEW.slug) > 64 OR NEW.slug GLOB '*[^a-z0-9-]*' OR NEW.slug GLOB '-*' OR NEW.slug GLOB '*-' BEGIN SELECT RAISE(ABORT, 'events.slug must be lowercase letters, digits and inner hyphens (at most 64)'); END`,
      );
    }
    for (const [i, slug] of hostile.entries()) {
      const res = await request(`/v1/admin/events/evhostile${i}/orders/export.csv?snapshot_at=${Date.now()}`, {
        cookie: await login('admin'),
      });
      expect(res.status, JSON.stringify(slug)).toBe(200);
      const header = res.headers.get('content-disposition') ?? '';
      expect(header, JSON.stringify(slug)).toMatch(SAFE_DISPOSITION);
      expect(header).not.toContain('evil.html"');
      expect(header.split('filename=').length).toBe(2);
      await res.body?.cancel();
    }
  });
});

describe('a file past its retention', () => {
  it('answers 410 "Report files removed" from that moment, before the sweeper runs', async () => {
    const job = await completedJob();
    const url = await link(job.id);
    await env.DB.prepare('UPDATE event_report_job_artifacts SET expires_at = ? WHERE job_id = ?')
      .bind(Date.now() - 1, job.id)
      .run();
    const page = await request(url, { cookie: organizer, headers: HTML });
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('data-reason="artifact-swept"');
    expect(html).toContain('<h1>Report files removed</h1>');
    const api = await request(url, { cookie: organizer });
    expect((await api.json<{ error: { code: string } }>()).error.code).toBe('artifact_swept');
    expect((await counted(job.id))?.downloads).toBe(0);
    // A new link cannot revive it: the report is made again instead.
    const regenerate = await request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${job.id}/download-link`, {
      method: 'POST',
      cookie: organizer,
    });
    expect(regenerate.status).toBe(201);
    expect(await regenerate.json()).toMatchObject({ outcome: 'rerun', job: { rerun_of: job.id } });
  });
});

describe('HEAD on a download link', () => {
  it('answers like GET without the body, and counts nothing: no download, no audit row, no metric', async () => {
    const job = await completedJob();
    const url = await link(job.id);
    const before = await counted(job.id);
    const head = await request(url, { method: 'HEAD', cookie: organizer });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(0);
    expect(head.headers.get('content-disposition')).toMatch(SAFE_DISPOSITION);
    expect(await head.text()).toBe('');
    expect(await counted(job.id)).toEqual(before);
    const get = await request(url, { cookie: organizer });
    expect(get.status).toBe(200);
    await get.text();
    expect(await counted(job.id)).toEqual({ downloads: 1, audited: 1, served: (before?.served ?? 0) + 1 });
  });
});

describe('the regenerate-link form answers browsers with pages', () => {
  const regenerate = (jobId: string, cookie?: string, headers: Record<string, string> = HTML) =>
    request(`/v1/admin/events/${EVENT_ID}/reports/jobs/${jobId}/download-link`, { method: 'POST', cookie, headers });

  it('signed out: a redirect to sign in, back to the job afterwards', async () => {
    const job = await completedJob();
    const res = await regenerate(job.id);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent(`/admin/events/${EVENT_ID}/reports?highlight=${job.id}`)}`,
    );
    expect((await regenerate(job.id, undefined, {})).status).toBe(401); // API clients: JSON as before
  });

  it('no report access, another workspace, no such job: Voyage pages with the status', async () => {
    const job = await completedJob();
    const cases: [string, string, number, string][] = [
      [await login('staff'), job.id, 403, 'data-test="no-permission-page"'],
      [await login('globex'), job.id, 404, 'data-test="not-found-page"'],
      [organizer, 'nosuchjob', 404, 'data-test="not-found-page"'],
    ];
    for (const [cookie, jobId, status, testId] of cases) {
      const res = await regenerate(jobId, cookie);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
      const page = await res.text();
      expect(page).toContain(testId);
      expect(page).not.toContain('{"error"');
    }
    const api = await regenerate(job.id, await login('staff'), {});
    expect(api.status).toBe(403);
    expect(api.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('a job still running: the still-preparing page', async () => {
    const job = await insertQueuedJob({ requested_by: USERS.organizer.id });
    const res = await regenerate(job.id, organizer);
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('data-test="still-preparing-page"');
  });
});
