import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The SPA only; the Worker is run by wrangler, which serves dist/client as static assets.
export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/client', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/v1': 'http://localhost:8787' } },
});
