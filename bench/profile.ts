// Where the runner's time goes: serves bench/profile/worker.ts with wrangler dev against an already
// seeded bench state (run `npm run bench` first, or pass --persist-to) and runs its modes.
//
//   npx tsx bench/profile.ts [--persist-to .wrangler/bench-state] [--event evbench500k] [--cpu map,csv,all]
//                            [--modes sql,sqlall,read,encode,upload,overlap,yield,direct,job] [--chunks 2000,10000] [--repeat 1]
//
// Prints one line per run and writes bench/profile-results.json.

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { root, startApp } from './lib/app';
import { buildSnapshot } from './lib/build';
import { RssSampler, totalCpuSeconds } from './lib/proc';

const { values: args } = parseArgs({
  options: {
    'persist-to': { type: 'string', default: '.wrangler/bench-state' },
    event: { type: 'string', default: 'evbench500k' },
    modes: { type: 'string', default: 'sql,sqlall,read,encode,upload,job' },
    chunks: { type: 'string', default: '2000' },
    repeat: { type: 'string', default: '1' },
    port: { type: 'string', default: '8800' },
    cpu: { type: 'string', default: '' },
  },
});

async function main(): Promise<void> {
  const snapshot = buildSnapshot(join(root, '.wrangler', 'bench-profile'), {
    entry: join(root, 'bench', 'profile', 'worker.ts'),
    name: 'voyage-reports-profile',
    bare: true,
  });
  const app = await startApp({
    port: Number(args.port),
    persistDir: join(root, args['persist-to'] ?? ''),
    config: snapshot.config,
    vars: { REPORT_MAX_ARTIFACT_BYTES: String(1024 * 1024 * 1024) },
    logName: 'profile.log',
  });
  const results: Record<string, unknown>[] = [];
  try {
    const run = async (query: string) => {
      const sampler = new RssSampler(app.workerd(), 50).start();
      await new Promise((r) => setTimeout(r, 300));
      const t0 = Date.now();
      const cpuBefore = totalCpuSeconds(app.workerd());
      const res = await fetch(`${app.base}/?${query}`, { signal: AbortSignal.timeout(600_000) });
      const json = (await res.json()) as Record<string, unknown>;
      const memory = sampler.stop(t0);
      json.rss_extra_mb = Math.round(memory.extra_bytes / 1024 / 102.4) / 10;
      json.anon_extra_mb = Math.round(memory.anon_extra_bytes / 1024 / 102.4) / 10;
      json.workerd_cpu_ms = Math.round((totalCpuSeconds(app.workerd()) - cpuBefore) * 1000);
      if (res.status !== 200) throw new Error(`${query}: ${JSON.stringify(json)}`);
      results.push(json);
      const rows = Number(json.rows);
      const ms = Number(json.ms);
      console.log(
        `${String(json.mode).padEnd(7)} chunk ${String(json.chunk).padStart(6)}  ${String(rows).padStart(7)} rows  ${String(ms).padStart(6)} ms  ${Math.round(
          (rows / ms) * 1000,
        )
          .toLocaleString('en-US')
          .padStart(
            9,
          )} rows/s  workerd CPU ${String(json.workerd_cpu_ms).padStart(6)} ms  RSS +${json.rss_extra_mb} MB (anon +${json.anon_extra_mb})${json.cpu_ms === undefined ? '' : `  cpu ${json.cpu_ms} ms (${json.stage})`}${json.claim_to_completed_ms === undefined ? '' : `  claim→completed ${json.claim_to_completed_ms} ms`}`,
      );
    };
    // Warm up the isolate and SQLite's page cache.
    await run(`mode=sql&event=${args.event}&chunk=10000`);
    results.length = 0;
    for (let r = 0; r < Number(args.repeat); r++) {
      for (const chunk of (args.chunks ?? '2000').split(',')) {
        for (const mode of (args.modes ?? '').split(',').filter(Boolean))
          await run(`mode=${mode}&event=${args.event}&chunk=${chunk}`);
      }
    }
    for (const stage of (args.cpu ?? '').split(',').filter(Boolean)) {
      await run(`mode=cpu&event=${args.event}&rows=10000&repeat=50&stage=${stage}`);
    }
  } finally {
    await app.stop();
  }
  const file = join(root, 'bench', 'profile-results.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  spawnSync(join(root, 'node_modules', '.bin', 'biome'), ['format', '--write', file], { cwd: root, stdio: 'ignore' });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
