// Test-only bindings, merged into the generated Cloudflare.Env (src/worker/worker-configuration.d.ts),
// which types `env` and `exports` from cloudflare:workers as this Worker's.
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    SOAK_JOBS?: string;
  }
}
