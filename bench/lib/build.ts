// A frozen copy of the app for one bench run. `wrangler dev` rebuilds and restarts the Worker whenever
// a source file changes, and other people edit this checkout while the bench runs: a restart in the
// middle of an export would measure nothing. So the Worker is bundled once (`wrangler deploy
// --dry-run`), the SPA copied once, and `wrangler dev --no-bundle` serves that copy with a config
// derived from wrangler.jsonc (same bindings, same D1 database id, so the same local SQLite file).

import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, sh } from './app';

/** JSON with comments -> JSON (comments only; strings are left alone, "http://" included). */
export function stripJsonComments(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (ch === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2) + 2;
    } else {
      out += ch;
      i++;
    }
  }
  // Trailing commas are allowed in JSONC.
  return out.replace(/,(\s*[}\]])/g, '$1');
}

/** The bundle wrangler wrote: named after the entry file. */
function bundleName(outdir: string): string {
  const js = readdirSync(outdir).filter((f) => f.endsWith('.js'));
  if (js.length !== 1) throw new Error(`expected one bundle in ${outdir}, found ${js.join(', ')}`);
  return js[0] as string;
}

export interface Snapshot {
  dir: string;
  config: string;
}

/**
 * Bundle `entry` (default: the app's Worker) into `dir` with a wrangler config of its own. A `bare`
 * Worker (the profiler) keeps the storage bindings but has no assets, queue consumers or crons.
 */
export function buildSnapshot(dir: string, options: { entry?: string; name?: string; bare?: boolean } = {}): Snapshot {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = JSON.parse(stripJsonComments(readFileSync(join(root, 'wrangler.jsonc'), 'utf8'))) as Record<string, unknown>;
  const outdir = join(dir, 'worker');
  const entryArgs = options.entry ? [options.entry] : [];
  sh(join(root, 'node_modules', '.bin', 'wrangler'), ['deploy', ...entryArgs, '--dry-run', '--outdir', outdir]);
  const config: Record<string, unknown> = {
    ...base,
    name: options.name ?? (base.name as string),
    main: join(outdir, bundleName(outdir)),
    no_bundle: true,
    d1_databases: (base.d1_databases as Record<string, unknown>[]).map((d) => ({
      ...d,
      migrations_dir: join(root, String(d.migrations_dir)),
    })),
  };
  if (options.bare) {
    delete config.assets;
    delete config.triggers;
    config.queues = { producers: (base.queues as { producers: unknown[] }).producers };
  } else {
    const assets = join(dir, 'client');
    if (!existsSync(join(root, 'dist', 'client', 'index.html'))) throw new Error('dist/client is missing: run `npm run build`');
    cpSync(join(root, 'dist', 'client'), assets, { recursive: true });
    config.assets = { ...(base.assets as Record<string, unknown>), directory: assets };
  }
  const configPath = join(dir, 'wrangler.json');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  // wrangler reads .dev.vars next to the config it is given.
  if (existsSync(join(root, '.dev.vars'))) cpSync(join(root, '.dev.vars'), join(dir, '.dev.vars'));
  else cpSync(join(root, '.dev.vars.example'), join(dir, '.dev.vars'));
  return { dir, config: configPath };
}
