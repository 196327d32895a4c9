import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const outDir = resolve(import.meta.dirname, 'dist/client');
/** Source maps for an error tracker or a debugging session: next to the build, never served. */
const mapsDir = resolve(import.meta.dirname, 'dist/sourcemaps');

/**
 * Source maps are built `hidden` (no sourceMappingURL comment in the bundles) and moved out of
 * dist/client, the directory wrangler uploads as static assets: nothing under /assets/*.map is
 * served (e2e/production-config.spec.ts asks for them).
 */
function sourceMapsOutOfAssets(): Plugin {
  return {
    name: 'voyage:source-maps-out-of-assets',
    apply: 'build',
    closeBundle() {
      rmSync(mapsDir, { recursive: true, force: true });
      const assets = join(outDir, 'assets');
      for (const file of readdirSync(assets).filter((f) => f.endsWith('.map'))) {
        mkdirSync(join(mapsDir, 'assets'), { recursive: true });
        renameSync(join(assets, file), join(mapsDir, 'assets', file));
      }
    },
  };
}

// The SPA only; the Worker is run by wrangler, which serves dist/client as static assets.
export default defineConfig({
  root: 'src/web',
  plugins: [react(), sourceMapsOutOfAssets()],
  build: { outDir, emptyOutDir: true, sourcemap: 'hidden' },
  server: { proxy: { '/v1': 'http://localhost:8787' } },
});
