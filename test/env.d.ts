// Types `env` and `exports` from cloudflare:workers as this Worker's, plus test-only bindings.
type WorkerEnv = import('../src/worker/env').Env;

declare namespace Cloudflare {
  interface Env extends WorkerEnv {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
    SOAK_JOBS?: string;
  }
  interface GlobalProps {
    mainModule: typeof import('../src/worker/index');
  }
}
