import { join } from 'node:path';
import { unstable_readConfig } from 'wrangler';
import { REQUIRED_SECRETS } from '../src/worker/secrets';
import { expect, test } from './fixtures';

const root = join(import.meta.dirname, '..');

test('the SPA serves no source maps, and its bundles point at none', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1] ?? '');
  expect(scripts.length).toBeGreaterThan(0);
  for (const asset of scripts) {
    const body = await (await request.get(asset)).text();
    expect(body.includes('sourceMappingURL'), `${asset} names a source map`).toBe(false);
    const map = await request.get(`${asset}.map`);
    const text = await map.text();
    // Whatever answers (the SPA's fallback page, or nothing), it is not the map.
    expect(text.includes('"mappings"'), `${asset}.map is served`).toBe(false);
    expect(map.headers()['content-type'] ?? '', `${asset}.map`).not.toContain('json');
  }
});

test('production and staging each have their own origin, sender, bindings and the required secrets', () => {
  const local = unstable_readConfig({ config: join(root, 'wrangler.jsonc') });
  const envs = (['production', 'staging'] as const).map((env) => ({
    env,
    config: unstable_readConfig({ config: join(root, 'wrangler.jsonc'), env }),
  }));
  const seen = new Set<string>();
  for (const { env, config } of envs) {
    const origin = String(config.vars.APP_ORIGIN);
    expect(new URL(origin).protocol, `${env} APP_ORIGIN`).toBe('https:');
    expect(origin).not.toBe(local.vars.APP_ORIGIN);
    expect(String(config.vars.EMAIL_FROM)).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(config.vars.APP_ENV).toBe(env);
    expect(config.secrets?.required, `${env} secrets.required`).toEqual([...REQUIRED_SECRETS]);
    expect(config.limits?.cpu_ms).toBe(300_000);
    const names = {
      origin: config.vars.APP_ORIGIN,
      sender: config.vars.EMAIL_FROM,
      database: config.d1_databases[0]?.database_name,
      bucket: config.r2_buckets[0]?.bucket_name,
      queue: config.queues.producers[0]?.queue,
      worker: config.name,
    };
    for (const [kind, name] of Object.entries(names)) {
      expect(name, `${env} ${kind}`).toBeTruthy();
      expect(seen.has(`${kind} ${name}`), `${env} shares its ${kind} ${name} with another environment`).toBe(false);
      seen.add(`${kind} ${name}`);
    }
    expect(config.queues.consumers.map((c: { queue: string }) => c.queue)).toEqual([
      config.queues.producers[0]?.queue,
      `${config.queues.producers[0]?.queue}-dlq`,
    ]);
    // Environments inherit no vars or consumers (wrangler): each repeats the local ones, and this keeps
    // the copies equal, but for what must differ (where it runs, who sends, the queue names).
    const { APP_ENV: _e, APP_ORIGIN: _o, EMAIL_FROM: _f, ...settings } = config.vars;
    const { APP_ENV: _le, APP_ORIGIN: _lo, EMAIL_FROM: _lf, ...localSettings } = local.vars;
    expect(settings, `${env} vars`).toEqual(localSettings);
    const consumerSettings = (c: { queue: string; dead_letter_queue?: string }) => {
      const { queue: _q, dead_letter_queue: _d, ...rest } = c;
      return rest;
    };
    expect(config.queues.consumers.map(consumerSettings), `${env} consumers`).toEqual(
      local.queues.consumers.map(consumerSettings),
    );
    expect(config.send_email.map((e: { name: string }) => e.name)).toEqual(['EMAIL']);
    expect(config.triggers.crons).toEqual(['* * * * *']);
  }
  expect(local.secrets?.required).toEqual([...REQUIRED_SECRETS]);
});
